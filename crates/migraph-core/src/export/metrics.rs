//! Node metrics over petgraph graphs: degree, weighted degree, PageRank, weakly
//! connected components and Louvain communities.
//!
//! Every function is deterministic: it visits nodes in index order (Louvain from a
//! queue seeded in index order), uses no random numbers and no hash maps, so the same
//! graph built in the same order gives the same numbers (and the same bytes in
//! exports). PageRank and Louvain work on compressed sparse rows (offsets into flat
//! `u32` neighbour and `f64` weight arrays) so that large graphs take linear memory
//! and scan memory in order. Results are dense vectors
//! aligned with `graph.node_indices()`, which skips the holes a `StableGraph` may have.
//! The module computes; it does not filter graphs or format numbers.

use std::collections::VecDeque;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};

/// How one edge takes part in a metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Weight of the edge; negative weights count as zero.
    pub weight: f64,
    /// Whether the edge also holds from its target to its source (a symmetric
    /// relation stored once).
    pub symmetric: bool,
}

/// Maps each node index to its position in `graph.node_indices()`.
fn dense_positions<N, E>(graph: &StableDiGraph<N, E>) -> Vec<Option<usize>> {
    let mut position = vec![None; graph.node_bound()];
    for (pos, node) in graph.node_indices().enumerate() {
        position[node.index()] = Some(pos);
    }
    position
}

/// The dense endpoints of every edge, in edge index order.
fn dense_edges<N, E>(graph: &StableDiGraph<N, E>) -> Vec<(usize, usize, &E)> {
    let position = dense_positions(graph);
    let dense = |n: NodeIndex| position.get(n.index()).copied().flatten();
    graph
        .edge_references()
        .filter_map(|e| Some((dense(e.source())?, dense(e.target())?, e.weight())))
        .collect()
}

/// Number of edges incident to each node, ignoring direction.
///
/// # Arguments
/// * `graph`: the graph; a self-loop counts twice, as in networkx.
///
/// # Returns
/// One count per node, in `graph.node_indices()` order.
///
/// # Complexity
/// O(|V| + |E|).
///
/// # Example
/// ```
/// use petgraph::stable_graph::StableDiGraph;
/// use migraph_core::export::metrics::degree;
///
/// let mut g = StableDiGraph::<(), ()>::new();
/// let (a, b, c) = (g.add_node(()), g.add_node(()), g.add_node(()));
/// g.add_edge(a, b, ());
/// g.add_edge(c, b, ());
/// assert_eq!(degree(&g), vec![1, 2, 1]);
/// ```
pub fn degree<N, E>(graph: &StableDiGraph<N, E>) -> Vec<usize> {
    let mut degree = vec![0; graph.node_count()];
    for (s, t, _) in dense_edges(graph) {
        degree[s] += 1;
        degree[t] += 1;
    }
    degree
}

/// Sum of the weights of the edges incident to each node, ignoring direction.
///
/// # Arguments
/// * `graph`: the graph; a self-loop counts twice.
/// * `weight`: the integer weight of an edge.
///
/// # Returns
/// One sum per node, in `graph.node_indices()` order (saturating at `usize::MAX`).
///
/// # Complexity
/// O(|V| + |E|).
///
/// # Example
/// ```
/// use petgraph::stable_graph::StableDiGraph;
/// use migraph_core::export::metrics::weighted_degree;
///
/// let mut g = StableDiGraph::<(), usize>::new();
/// let (a, b) = (g.add_node(()), g.add_node(()));
/// g.add_edge(a, b, 3);
/// assert_eq!(weighted_degree(&g, |w| *w), vec![3, 3]);
/// ```
pub fn weighted_degree<N, E>(
    graph: &StableDiGraph<N, E>,
    weight: impl Fn(&E) -> usize,
) -> Vec<usize> {
    let mut sum = vec![0usize; graph.node_count()];
    for (s, t, e) in dense_edges(graph) {
        let w = weight(e);
        sum[s] = sum[s].saturating_add(w);
        sum[t] = sum[t].saturating_add(w);
    }
    sum
}

/// Incoming links in compressed sparse row form: the links into node `t` are
/// `sources[offsets[t]..offsets[t + 1]]` with the same range of `weights`.
///
/// Node numbers are `u32` because petgraph's default index type is `u32`, so no
/// graph given to this module has more nodes than that.
struct Incoming {
    offsets: Vec<usize>,
    sources: Vec<u32>,
    weights: Vec<f64>,
}

impl Incoming {
    /// Groups `(from, to, weight)` links by target with a counting sort; links into
    /// one target keep their input order.
    fn from_links(n: usize, links: &[(u32, u32, f64)]) -> Incoming {
        let mut offsets = vec![0usize; n + 1];
        for &(_, t, _) in links {
            offsets[t as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut sources = vec![0u32; links.len()];
        let mut weights = vec![0.0; links.len()];
        for &(s, t, w) in links {
            let at = &mut fill[t as usize];
            sources[*at] = s;
            weights[*at] = w;
            *at += 1;
        }
        Incoming { offsets, sources, weights }
    }
}

/// A dense node number as `u32` (see [`Incoming`] for why it fits).
fn node32(pos: usize) -> u32 {
    u32::try_from(pos).unwrap_or(u32::MAX)
}

/// Weighted PageRank by power iteration.
///
/// A directed edge passes rank from its source to its target; a symmetric one
/// ([`Link::symmetric`]) passes it both ways. Each node splits its rank among its
/// out-links in proportion to their weights; the rank of nodes without out-links
/// (dangling nodes) is spread evenly over all nodes, so the ranks always sum to 1.
/// Each round pulls rank along the incoming links of every node, held in compressed
/// sparse rows, so a round is one sequential pass over the links.
///
/// # Arguments
/// * `graph`: the graph.
/// * `damping`: probability of following a link, usually 0.85; clamped to [0, 1].
/// * `link`: weight and symmetry of an edge.
///
/// # Returns
/// One rank per node, in `graph.node_indices()` order, summing to 1 (empty for an
/// empty graph). Iteration stops when the L1 change falls below [`PAGERANK_TOLERANCE`]
/// or after [`PAGERANK_MAX_ROUNDS`] rounds.
///
/// # Complexity
/// O(k·(|V| + |E|)) time for k rounds (k is about a hundred for damping 0.85 and
/// this tolerance) and O(|V| + |E|) memory.
///
/// # Example
/// ```
/// use petgraph::stable_graph::StableDiGraph;
/// use migraph_core::export::metrics::{pagerank, Link};
///
/// let mut g = StableDiGraph::<(), ()>::new();
/// let (a, b, c) = (g.add_node(()), g.add_node(()), g.add_node(()));
/// g.add_edge(a, c, ());
/// g.add_edge(b, c, ());
/// let rank = pagerank(&g, 0.85, |_| Link { weight: 1.0, symmetric: false });
/// assert!(rank[2] > rank[0] && (rank[0] - rank[1]).abs() < 1e-12);
/// assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
/// ```
pub fn pagerank<N, E>(
    graph: &StableDiGraph<N, E>,
    damping: f64,
    link: impl Fn(&E) -> Link,
) -> Vec<f64> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let damping = if damping.is_finite() { damping.clamp(0.0, 1.0) } else { 0.85 };
    // Out-links as (from, to, weight), symmetric edges expanded to both directions.
    let edges = dense_edges(graph);
    let mut links = Vec::with_capacity(edges.len() * 2);
    for (s, t, e) in edges {
        let Link { weight, symmetric } = link(e);
        let weight = if weight.is_finite() { weight.max(0.0) } else { 0.0 };
        let (s, t) = (node32(s), node32(t));
        links.push((s, t, weight));
        if symmetric && s != t {
            links.push((t, s, weight));
        }
    }
    let mut out_weight = vec![0.0; n];
    for &(s, _, w) in &links {
        out_weight[s as usize] += w;
    }
    let incoming = Incoming::from_links(n, &links);
    drop(links);
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; n];
    // Per node, the rank it sends along each unit of out-link weight.
    let mut share = vec![0.0; n];
    for _ in 0..PAGERANK_MAX_ROUNDS {
        let mut dangling = 0.0;
        for ((share, r), w) in share.iter_mut().zip(&rank).zip(&out_weight) {
            if *w > 0.0 {
                *share = r / w;
            } else {
                *share = 0.0;
                dangling += r;
            }
        }
        let base = (1.0 - damping) * uniform + damping * dangling * uniform;
        let mut change = 0.0;
        for (t, r) in rank.iter_mut().enumerate() {
            let range = incoming.offsets[t]..incoming.offsets[t + 1];
            let pulled: f64 = incoming.sources[range.clone()]
                .iter()
                .zip(&incoming.weights[range])
                .map(|(&s, &w)| share[s as usize] * w)
                .sum();
            let next = base + damping * pulled;
            change += (next - *r).abs();
            *r = next;
        }
        if change < PAGERANK_TOLERANCE {
            break;
        }
    }
    rank
}

/// PageRank stops when one round changes the ranks by less than this in L1 norm.
pub const PAGERANK_TOLERANCE: f64 = 1e-12;

/// PageRank stops after this many rounds even if it has not converged.
pub const PAGERANK_MAX_ROUNDS: usize = 200;

/// Weakly connected components (edges taken in both directions).
///
/// # Arguments
/// * `graph`: the graph.
///
/// # Returns
/// A component number per node, in `graph.node_indices()` order. Components are
/// numbered by decreasing size, ties by their first node in index order, so 0 is the
/// largest component.
///
/// # Complexity
/// O(|V| + |E|) with a union-find of path-halving, plus O(|V| log |V|) to number.
///
/// # Example
/// ```
/// use petgraph::stable_graph::StableDiGraph;
/// use migraph_core::export::metrics::connected_components;
///
/// let mut g = StableDiGraph::<(), ()>::new();
/// let (a, b, c, d) = (g.add_node(()), g.add_node(()), g.add_node(()), g.add_node(()));
/// g.add_edge(b, c, ());
/// g.add_edge(d, c, ());
/// assert_eq!(connected_components(&g), vec![1, 0, 0, 0]);
/// let _ = a;
/// ```
pub fn connected_components<N, E>(graph: &StableDiGraph<N, E>) -> Vec<usize> {
    let n = graph.node_count();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (s, t, _) in dense_edges(graph) {
        let (a, b) = (find(&mut parent, s), find(&mut parent, t));
        if a != b {
            // The smaller root wins so that the result does not depend on edge order.
            parent[a.max(b)] = a.min(b);
        }
    }
    let roots: Vec<usize> = (0..n).map(|x| find(&mut parent, x)).collect();
    number_by_size(&roots)
}

/// Renumbers group labels 0.. by decreasing group size, ties by first member.
///
/// Labels are below `labels.len()` (a node number or a community number), which lets
/// plain vectors replace maps.
fn number_by_size(labels: &[usize]) -> Vec<usize> {
    let n = labels.len();
    let mut size = vec![0usize; n];
    let mut first = vec![usize::MAX; n];
    for (member, &label) in labels.iter().enumerate() {
        let Some(count) = size.get_mut(label) else { continue };
        *count += 1;
        if first[label] == usize::MAX {
            first[label] = member;
        }
    }
    let mut order: Vec<usize> = (0..n).filter(|&label| size[label] > 0).collect();
    order.sort_unstable_by(|&a, &b| size[b].cmp(&size[a]).then(first[a].cmp(&first[b])));
    let mut number = vec![0usize; n];
    for (i, &label) in order.iter().enumerate() {
        number[label] = i;
    }
    labels.iter().map(|&label| number.get(label).copied().unwrap_or(0)).collect()
}

/// One level of the Louvain method: a weighted undirected graph on dense nodes, in
/// compressed sparse rows.
///
/// The neighbours of node `i` are `targets[offsets[i]..offsets[i + 1]]`, sorted and
/// without repeats (parallel edges are summed), with their weights in the same range
/// of `weights`; each undirected edge appears in both rows. Self-loops are kept apart
/// in `self_loop`.
struct Level {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    /// Self-loop weight per node (edges inside a community of the previous level).
    self_loop: Vec<f64>,
}

impl Level {
    /// Builds the rows from undirected edges with a counting sort, then sorts each
    /// row by neighbour and sums repeats.
    fn from_edges(n: usize, edges: &[(u32, u32, f64)]) -> Level {
        let mut self_loop = vec![0.0; n];
        let mut offsets = vec![0usize; n + 1];
        for &(a, b, w) in edges {
            if a == b {
                self_loop[a as usize] += w;
            } else {
                offsets[a as usize + 1] += 1;
                offsets[b as usize + 1] += 1;
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut row: Vec<(u32, f64)> = vec![(0, 0.0); offsets[n]];
        for &(a, b, w) in edges {
            if a != b {
                row[fill[a as usize]] = (b, w);
                fill[a as usize] += 1;
                row[fill[b as usize]] = (a, w);
                fill[b as usize] += 1;
            }
        }
        // Sort each row and merge repeats in place, compacting rows to the front.
        let mut targets = Vec::with_capacity(row.len());
        let mut weights = Vec::with_capacity(row.len());
        let mut compact = vec![0usize; n + 1];
        for i in 0..n {
            let cell = &mut row[offsets[i]..offsets[i + 1]];
            cell.sort_unstable_by_key(|&(j, _)| j);
            for &(j, w) in cell.iter() {
                if targets.len() > compact[i] && targets.last() == Some(&j) {
                    if let Some(last) = weights.last_mut() {
                        *last += w;
                    }
                } else {
                    targets.push(j);
                    weights.push(w);
                }
            }
            compact[i + 1] = targets.len();
        }
        Level { offsets: compact, targets, weights, self_loop }
    }

    fn len(&self) -> usize {
        self.self_loop.len()
    }

    /// The neighbours of `i` with edge weights.
    fn row(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.offsets[i]..self.offsets[i + 1];
        self.targets[range.clone()]
            .iter()
            .map(|&j| j as usize)
            .zip(self.weights[range].iter().copied())
    }

    /// Weighted degree of each node, a self-loop counting twice.
    fn strengths(&self) -> Vec<f64> {
        (0..self.len())
            .map(|i| {
                2.0 * self.self_loop[i]
                    + self.weights[self.offsets[i]..self.offsets[i + 1]].iter().sum::<f64>()
            })
            .collect()
    }

    /// Moves nodes between communities while modularity rises; returns each node's
    /// community (numbered by first appearance) and whether any node moved.
    ///
    /// Nodes are visited from a first-in first-out queue that starts with every node
    /// in index order; when a node moves, its neighbours outside its new community
    /// are queued again (the fast local moving of Traag et al.'s Leiden algorithm).
    /// Only a neighbour's move can change a node's best community, so this ends in
    /// the same kind of local optimum as repeated full passes, without the long tail
    /// of passes that each move a handful of nodes. Every move raises modularity, so
    /// the loop ends; [`LOUVAIN_MAX_VISITS`] visits per node bound it on
    /// pathological float ties.
    fn local_moves(&self, m2: f64) -> (Vec<usize>, bool) {
        let n = self.len();
        let k = self.strengths();
        let mut community: Vec<usize> = (0..n).collect();
        let mut total = k.clone();
        let mut to_community = vec![0.0; n];
        let mut is_touched = vec![false; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut moved_any = false;
        let mut queue: VecDeque<usize> = (0..n).collect();
        let mut queued = vec![true; n];
        let mut budget = n.saturating_mul(LOUVAIN_MAX_VISITS);
        while let Some(i) = queue.pop_front() {
            queued[i] = false;
            budget = budget.saturating_sub(1);
            if budget == 0 {
                tracing::warn!(nodes = n, "louvain level stopped at its visit bound");
                break;
            }
            let current = community[i];
            touched.clear();
            for (j, w) in self.row(i) {
                let c = community[j];
                if !is_touched[c] {
                    is_touched[c] = true;
                    touched.push(c);
                }
                to_community[c] += w;
            }
            total[current] -= k[i];
            let gain = |c: usize, w: f64| w - total[c] * k[i] / m2;
            let mut best = current;
            let mut best_gain = gain(current, to_community[current]);
            for &c in &touched {
                let g = gain(c, to_community[c]);
                if g > best_gain + 1e-12 {
                    best = c;
                    best_gain = g;
                }
            }
            total[best] += k[i];
            community[i] = best;
            for &c in &touched {
                to_community[c] = 0.0;
                is_touched[c] = false;
            }
            if best != current {
                moved_any = true;
                for (j, _) in self.row(i) {
                    if community[j] != best && !queued[j] {
                        queued[j] = true;
                        queue.push_back(j);
                    }
                }
            }
        }
        // Renumber by first appearance.
        let mut renumber = vec![usize::MAX; n];
        let mut next = 0;
        let community = community
            .iter()
            .map(|&c| {
                if renumber[c] == usize::MAX {
                    renumber[c] = next;
                    next += 1;
                }
                renumber[c]
            })
            .collect();
        (community, moved_any)
    }

    /// The graph of communities: one node per community, internal weight as a
    /// self-loop.
    fn aggregate(&self, community: &[usize], n_communities: usize) -> Level {
        let mut edges = Vec::with_capacity(self.targets.len() / 2 + self.len());
        for i in 0..self.len() {
            let ci = node32(community[i]);
            edges.push((ci, ci, self.self_loop[i]));
            for (j, w) in self.row(i) {
                // Each undirected edge is listed from both ends; keep one.
                if i < j {
                    edges.push((ci, node32(community[j]), w));
                }
            }
        }
        Level::from_edges(n_communities, &edges)
    }
}

/// Louvain visits each node of a level at most this many times on average.
pub const LOUVAIN_MAX_VISITS: usize = 1000;

/// Communities by the Louvain method (Blondel et al., 2008), deterministic variant.
///
/// Edge direction is ignored and parallel edges add up. Each level holds its graph
/// in compressed sparse rows and moves nodes to the neighbouring community with the
/// largest modularity gain (resolution 1), staying put on ties and otherwise taking
/// the community met first in neighbour order. Nodes are visited from a queue that
/// starts in index order and takes back the neighbours of every node that moved
/// (Leiden's fast local moving), until the queue is empty; then the communities
/// become the nodes of the next level. It stops when a level moves nothing.
///
/// # Arguments
/// * `graph`: the graph.
/// * `weight`: the weight of an edge; negative and non-finite weights count as zero.
///
/// # Returns
/// A community number per node, in `graph.node_indices()` order, numbered by
/// decreasing size, ties by first node. Nodes without edges are communities of
/// their own.
///
/// # Complexity
/// O(v·d) per level for v node visits of average degree d (v is a small multiple of
/// |V| in practice) plus O(|E| log d) to build each level's rows; a few levels.
/// Memory is O(|V| + |E|).
///
/// # Example
/// ```
/// use petgraph::stable_graph::StableDiGraph;
/// use migraph_core::export::metrics::louvain;
///
/// // Two triangles joined by one edge form two communities.
/// let mut g = StableDiGraph::<(), f64>::new();
/// let n: Vec<_> = (0..6).map(|_| g.add_node(())).collect();
/// for (a, b) in [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)] {
///     g.add_edge(n[a], n[b], 1.0);
/// }
/// assert_eq!(louvain(&g, |w| *w), vec![0, 0, 0, 1, 1, 1]);
/// ```
pub fn louvain<N, E>(graph: &StableDiGraph<N, E>, weight: impl Fn(&E) -> f64) -> Vec<usize> {
    let n = graph.node_count();
    let edges: Vec<(u32, u32, f64)> = dense_edges(graph)
        .into_iter()
        .map(|(s, t, e)| {
            let w = weight(e);
            (node32(s), node32(t), if w.is_finite() { w.max(0.0) } else { 0.0 })
        })
        .collect();
    let mut level = Level::from_edges(n, &edges);
    drop(edges);
    let m2: f64 = level.strengths().iter().sum();
    let mut membership: Vec<usize> = (0..n).collect();
    if m2 > 0.0 {
        loop {
            let (community, moved) = level.local_moves(m2);
            if !moved {
                break;
            }
            let n_communities = community.iter().max().map_or(0, |c| c + 1);
            for m in &mut membership {
                *m = community[*m];
            }
            level = level.aggregate(&community, n_communities);
        }
    }
    number_by_size(&membership)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> StableDiGraph<(), f64> {
        let mut g = StableDiGraph::new();
        let nodes: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
        for &(a, b) in edges {
            g.add_edge(nodes[a], nodes[b], 1.0);
        }
        g
    }

    #[test]
    fn metrics_skip_holes_of_stable_graph() {
        let mut g = graph(4, &[(0, 1), (2, 3)]);
        g.remove_node(NodeIndex::new(1));
        assert_eq!(degree(&g), vec![0, 1, 1]);
        assert_eq!(connected_components(&g), vec![1, 0, 0]);
        assert_eq!(louvain(&g, |w| *w), vec![1, 0, 0]);
    }

    #[test]
    fn pagerank_symmetric_edge_shares_rank() {
        let g = graph(2, &[(0, 1)]);
        let directed = pagerank(&g, 0.85, |_| Link { weight: 1.0, symmetric: false });
        assert!(directed[1] > directed[0]);
        let symmetric = pagerank(&g, 0.85, |_| Link { weight: 1.0, symmetric: true });
        assert!((symmetric[0] - 0.5).abs() < 1e-9 && (symmetric[1] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn pagerank_matches_networkx_on_small_graph() {
        // networkx's pure-Python pagerank of DiGraph([(0,1),(1,2),(2,0),(2,3)]), tol 1e-12.
        let g = graph(4, &[(0, 1), (1, 2), (2, 0), (2, 3)]);
        let rank = pagerank(&g, 0.85, |_| Link { weight: 1.0, symmetric: false });
        let expected = [0.213762154, 0.264622289, 0.307853403, 0.213762154];
        for (r, e) in rank.iter().zip(expected) {
            assert!((r - e).abs() < 1e-8, "{rank:?}");
        }
    }

    #[test]
    fn louvain_keeps_cliques_apart() {
        // Two 4-cliques joined by a single edge.
        let mut edges = Vec::new();
        for base in [0, 4] {
            for a in 0..4 {
                for b in a + 1..4 {
                    edges.push((base + a, base + b));
                }
            }
        }
        edges.push((3, 4));
        let g = graph(8, &edges);
        assert_eq!(louvain(&g, |w| *w), vec![0, 0, 0, 0, 1, 1, 1, 1]);
    }

    #[test]
    fn louvain_without_edges_gives_singletons() {
        let g = graph(3, &[]);
        assert_eq!(louvain(&g, |w| *w), vec![0, 1, 2]);
    }

    /// A small deterministic generator for test graphs.
    fn lcg(state: &mut u64) -> usize {
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*state >> 33) as usize
    }

    fn random_edges(n: usize, m: usize, seed: u64) -> Vec<(usize, usize)> {
        let mut state = seed;
        (0..m).map(|_| (lcg(&mut state) % n, lcg(&mut state) % n)).collect()
    }

    /// PageRank by the textbook dense formula, for comparison.
    fn dense_pagerank(n: usize, links: &[(usize, usize, f64)], d: f64) -> Vec<f64> {
        let mut out = vec![0.0; n];
        for &(s, _, w) in links {
            out[s] += w;
        }
        let mut rank = vec![1.0 / n as f64; n];
        for _ in 0..1000 {
            let dangling: f64 = (0..n).filter(|&i| out[i] == 0.0).map(|i| rank[i]).sum();
            let mut next = vec![(1.0 - d) / n as f64 + d * dangling / n as f64; n];
            for &(s, t, w) in links {
                next[t] += d * rank[s] * w / out[s];
            }
            rank = next;
        }
        rank
    }

    #[test]
    fn pagerank_sums_to_one_and_matches_dense_formula() {
        let mut g = StableDiGraph::new();
        let nodes: Vec<_> = (0..40).map(|_| g.add_node(())).collect();
        let mut links = Vec::new();
        for (i, &(a, b)) in random_edges(40, 120, 7).iter().enumerate() {
            // Node 39 gets no out-link, so that dangling rank is covered.
            if a == 39 {
                continue;
            }
            // Every third edge symmetric, weights 1 to 4.
            let link = Link { weight: (1 + i % 4) as f64, symmetric: i % 3 == 0 && b != 39 };
            g.add_edge(nodes[a], nodes[b], link);
            links.push((a, b, link.weight));
            if link.symmetric && a != b {
                links.push((b, a, link.weight));
            }
        }
        assert!(links.iter().any(|l| l.1 == 39) && links.iter().all(|l| l.0 != 39));
        let rank = pagerank(&g, 0.85, |l| *l);
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{}", rank.iter().sum::<f64>());
        let expected = dense_pagerank(40, &links, 0.85);
        for (i, (r, e)) in rank.iter().zip(&expected).enumerate() {
            assert!((r - e).abs() < 1e-10, "node {i}: {r} vs {e}");
        }
    }

    #[test]
    fn louvain_finds_ring_of_cliques_whatever_the_edge_order() {
        // Six 5-cliques in a ring, each joined to the next by one edge.
        let mut edges = Vec::new();
        for c in 0..6 {
            for a in 0..5 {
                for b in a + 1..5 {
                    edges.push((5 * c + a, 5 * c + b));
                }
            }
            edges.push((5 * c + 4, (5 * c + 5) % 30));
        }
        let expected: Vec<usize> = {
            let found = louvain(&graph(30, &edges), |w| *w);
            // Members of one clique share a community, and cliques differ.
            for c in 0..6 {
                assert!(found[5 * c..5 * c + 5].iter().all(|x| *x == found[5 * c]), "{found:?}");
            }
            let mut ids: Vec<_> = (0..6).map(|c| found[5 * c]).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), 6, "{found:?}");
            found
        };
        // Reversed and reoriented edges give the same numbering: rows are sorted.
        let reversed: Vec<_> = edges.iter().rev().map(|&(a, b)| (b, a)).collect();
        assert_eq!(louvain(&graph(30, &reversed), |w| *w), expected);
    }

    #[test]
    fn louvain_is_deterministic_on_random_graph() {
        let g = graph(300, &random_edges(300, 1200, 11));
        let first = louvain(&g, |w| *w);
        assert_eq!(louvain(&g, |w| *w), first);
        // A sparse random graph splits into several communities, numbered by size.
        let n_communities = first.iter().max().map_or(0, |c| c + 1);
        assert!(n_communities > 3, "{n_communities}");
        let size = |c: usize| first.iter().filter(|x| **x == c).count();
        assert!((1..n_communities).all(|c| size(c - 1) >= size(c)));
    }

    #[test]
    fn level_merges_parallel_edges_and_keeps_self_loops_apart() {
        let level = Level::from_edges(3, &[(2, 0, 1.0), (0, 2, 2.0), (1, 1, 4.0), (0, 1, 0.5)]);
        assert_eq!(level.row(0).collect::<Vec<_>>(), [(1, 0.5), (2, 3.0)]);
        assert_eq!(level.row(1).collect::<Vec<_>>(), [(0, 0.5)]);
        assert_eq!(level.row(2).collect::<Vec<_>>(), [(0, 3.0)]);
        assert_eq!(level.self_loop, [0.0, 4.0, 0.0]);
        assert_eq!(level.strengths(), [3.5, 8.5, 3.0]);
    }

    #[test]
    fn number_by_size_orders_by_size_then_first_member() {
        assert_eq!(number_by_size(&[4, 4, 1, 1, 2, 4]), [0, 0, 1, 1, 2, 0]);
        assert_eq!(number_by_size(&[]), Vec::<usize>::new());
    }

    #[test]
    fn components_number_largest_first() {
        let g = graph(5, &[(3, 4), (4, 2)]);
        assert_eq!(connected_components(&g), vec![1, 2, 0, 0, 0]);
    }
}
