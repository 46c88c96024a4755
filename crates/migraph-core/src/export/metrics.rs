//! Node metrics over petgraph graphs: degree, weighted degree, PageRank, weakly
//! connected components and Louvain communities.
//!
//! Every function is deterministic: it visits nodes in index order, uses no random
//! numbers and no hash-map iteration order, so the same graph built in the same order
//! gives the same numbers (and the same bytes in exports). Results are dense vectors
//! aligned with `graph.node_indices()`, which skips the holes a `StableGraph` may have.
//! The module computes; it does not filter graphs or format numbers.

use std::collections::BTreeMap;

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

/// Weighted PageRank by power iteration.
///
/// A directed edge passes rank from its source to its target; a symmetric one
/// ([`Link::symmetric`]) passes it both ways. Each node splits its rank among its
/// out-links in proportion to their weights; the rank of nodes without out-links
/// (dangling nodes) is spread evenly over all nodes, so the ranks always sum to 1.
///
/// # Arguments
/// * `graph`: the graph.
/// * `damping`: probability of following a link, usually 0.85; clamped to [0, 1].
/// * `link`: weight and symmetry of an edge.
///
/// # Returns
/// One rank per node, in `graph.node_indices()` order, summing to 1 (empty for an
/// empty graph). Iteration stops when the L1 change falls below 1e-12 or after 200
/// rounds.
///
/// # Complexity
/// O(k·(|V| + |E|)) for k rounds; k is a few dozen for damping 0.85.
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
    let mut links = Vec::new();
    for (s, t, e) in dense_edges(graph) {
        let Link { weight, symmetric } = link(e);
        let weight = if weight.is_finite() { weight.max(0.0) } else { 0.0 };
        links.push((s, t, weight));
        if symmetric && s != t {
            links.push((t, s, weight));
        }
    }
    let mut out_weight = vec![0.0; n];
    for &(s, _, w) in &links {
        out_weight[s] += w;
    }
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; n];
    let mut next = vec![0.0; n];
    for _ in 0..200 {
        let dangling: f64 =
            rank.iter().zip(&out_weight).filter(|(_, w)| **w <= 0.0).map(|(r, _)| r).sum();
        let base = (1.0 - damping) * uniform + damping * dangling * uniform;
        next.iter_mut().for_each(|x| *x = base);
        for &(s, t, w) in &links {
            if out_weight[s] > 0.0 {
                next[t] += damping * rank[s] * w / out_weight[s];
            }
        }
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < 1e-12 {
            break;
        }
    }
    rank
}

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
fn number_by_size(labels: &[usize]) -> Vec<usize> {
    // Per label: (size, first member).
    let mut groups: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (member, &label) in labels.iter().enumerate() {
        groups.entry(label).or_insert((0, member)).0 += 1;
    }
    let mut order: Vec<(usize, usize, usize)> =
        groups.into_iter().map(|(label, (size, first))| (size, first, label)).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let number: BTreeMap<usize, usize> =
        order.iter().enumerate().map(|(i, &(_, _, label))| (label, i)).collect();
    labels.iter().map(|label| number.get(label).copied().unwrap_or(0)).collect()
}

/// One level of the Louvain method: a weighted undirected graph on dense nodes.
struct Level {
    /// Neighbours with summed edge weights, sorted by neighbour, self-loops excluded.
    adj: Vec<Vec<(usize, f64)>>,
    /// Self-loop weight per node (edges inside a community of the previous level).
    self_loop: Vec<f64>,
}

impl Level {
    fn from_edges(n: usize, edges: impl IntoIterator<Item = (usize, usize, f64)>) -> Level {
        let mut maps: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n];
        let mut self_loop = vec![0.0; n];
        for (a, b, w) in edges {
            if a == b {
                self_loop[a] += w;
            } else {
                *maps[a].entry(b).or_insert(0.0) += w;
                *maps[b].entry(a).or_insert(0.0) += w;
            }
        }
        Level { adj: maps.into_iter().map(|m| m.into_iter().collect()).collect(), self_loop }
    }

    /// Weighted degree of each node, a self-loop counting twice.
    fn strengths(&self) -> Vec<f64> {
        self.adj
            .iter()
            .zip(&self.self_loop)
            .map(|(adj, s)| 2.0 * s + adj.iter().map(|(_, w)| w).sum::<f64>())
            .collect()
    }

    /// Moves nodes between communities while modularity rises; returns each node's
    /// community (numbered by first appearance) and whether any node moved.
    fn local_moves(&self, m2: f64) -> (Vec<usize>, bool) {
        let n = self.adj.len();
        let k = self.strengths();
        let mut community: Vec<usize> = (0..n).collect();
        let mut total = k.clone();
        let mut to_community = vec![0.0; n];
        let mut is_touched = vec![false; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut moved_any = false;
        // Each accepted move raises modularity, so the loop ends; the cap bounds time
        // on pathological float ties.
        for _ in 0..1000 {
            let mut moved = false;
            for i in 0..n {
                let current = community[i];
                touched.clear();
                for &(j, w) in &self.adj[i] {
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
                if best != current {
                    moved = true;
                }
                for &c in &touched {
                    to_community[c] = 0.0;
                    is_touched[c] = false;
                }
            }
            if !moved {
                break;
            }
            moved_any = true;
        }
        let mut renumber = BTreeMap::new();
        let mut next = 0;
        let community = community
            .iter()
            .map(|c| {
                *renumber.entry(*c).or_insert_with(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        (community, moved_any)
    }

    /// The graph of communities: one node per community, internal weight as a
    /// self-loop.
    fn aggregate(&self, community: &[usize], n_communities: usize) -> Level {
        let mut edges = Vec::new();
        for (i, adj) in self.adj.iter().enumerate() {
            edges.push((community[i], community[i], self.self_loop[i]));
            for &(j, w) in adj {
                // Each undirected edge is listed from both ends; keep one.
                if i < j {
                    edges.push((community[i], community[j], w));
                }
            }
        }
        Level::from_edges(n_communities, edges)
    }
}

/// Communities by the Louvain method (Blondel et al., 2008), deterministic variant.
///
/// Edge direction is ignored and parallel edges add up. Each level moves nodes, in
/// index order, to the neighbouring community with the largest modularity gain
/// (resolution 1), staying put on ties, until no node moves; then the communities
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
/// O(p·|E|) per level for p passes over the nodes, with few levels in practice
/// (O(|E| log |V|) overall on sparse graphs).
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
    let edges = dense_edges(graph).into_iter().map(|(s, t, e)| {
        let w = weight(e);
        (s, t, if w.is_finite() { w.max(0.0) } else { 0.0 })
    });
    let mut level = Level::from_edges(n, edges);
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

    #[test]
    fn components_number_largest_first() {
        let g = graph(5, &[(3, 4), (4, 2)]);
        assert_eq!(connected_components(&g), vec![1, 2, 0, 0, 0]);
    }
}
