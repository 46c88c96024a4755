//! The mapping between model values and RDF quads, both ways.
//!
//! [`document_quads`] turns one document's metadata, entities and relations into the
//! quads of its named graph and its catalogue entry; [`decode_document`] and
//! [`decode_catalogue_entry`] are the exact inverse over what that function writes.
//! Keeping both directions in one file, on the constants of `model::vocab`, is what
//! makes `read_graph(write(graph)) == graph` hold. This module does no I/O and opens
//! no transaction: the store decides what to clear and when to commit.

use std::collections::{BTreeMap, BTreeSet};

use migraph_core::model::vocab::{
    self, CATALOGUE_GRAPH, dcterms, mg, owl, prov, rdf, rdfs, skos, xsd,
};
use migraph_core::model::{
    DocumentMeta, Entity, EntityId, EntityKind, Evidence, IsoDate, Money, Relation, When,
};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

use super::StoreError;

/// A vocabulary constant as a node.
///
/// The constants of `model::vocab` are absolute IRIs written by hand; the test
/// `rdf_vocabulary_constants_are_valid_iris` parses every one of them, which is why
/// skipping validation here is sound.
fn term(iri: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(iri)
}

/// An IRI built at run time (entity, document, statement, Wikidata), validated.
fn named(iri: String) -> Result<NamedNode, StoreError> {
    NamedNode::new(iri.clone()).map_err(|e| StoreError::InvalidIri { iri, message: e.to_string() })
}

/// Collects the quads of one named graph.
struct GraphWriter {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl GraphWriter {
    fn new(graph: &NamedNode) -> GraphWriter {
        GraphWriter { graph: GraphName::NamedNode(graph.clone()), quads: Vec::new() }
    }

    fn add(&mut self, s: &NamedNode, p: &'static str, o: impl Into<Term>) {
        self.quads.push(Quad::new(s.clone(), term(p), o.into(), self.graph.clone()));
    }

    fn string(&mut self, s: &NamedNode, p: &'static str, value: &str) {
        self.add(s, p, Literal::new_simple_literal(value));
    }

    fn integer(&mut self, s: &NamedNode, p: &'static str, value: usize) {
        self.add(s, p, Literal::new_typed_literal(value.to_string(), term(xsd::INTEGER)));
    }

    fn date(&mut self, s: &NamedNode, p: &'static str, date: &IsoDate) {
        let datatype = term(vocab::date_datatype(date));
        self.add(s, p, Literal::new_typed_literal(date.to_string(), datatype));
    }
}

/// The quads that describe one document: the entities it mentions and the relations
/// read from it (in the document's named graph), and its catalogue entry.
///
/// # Errors
/// A relation whose evidence names another document, a relation whose subject or
/// object is not among `entities`, two relations that map to the same statement
/// node, or an id that cannot form an IRI.
///
/// # Returns
/// The quads without duplicates (an entity listed twice is written once), in a
/// deterministic order.
pub(crate) fn document_quads(
    meta: &DocumentMeta,
    entities: &[Entity],
    relations: &[Relation],
) -> Result<Vec<Quad>, StoreError> {
    let doc = named(vocab::document_iri(&meta.id))?;
    let mut graph = GraphWriter::new(&doc);

    let known: BTreeSet<&EntityId> = entities.iter().map(|e| &e.id).collect();
    for entity in entities {
        write_entity(&mut graph, entity)?;
    }

    let mut statements = BTreeSet::new();
    for relation in relations {
        if relation.evidence.doc != meta.id {
            return Err(StoreError::ForeignRelation {
                doc: meta.id.clone(),
                relation_doc: relation.evidence.doc.clone(),
            });
        }
        for end in [&relation.subject, &relation.object] {
            if !known.contains(end) {
                return Err(StoreError::MissingEntity {
                    doc: meta.id.clone(),
                    entity: end.as_str().to_owned(),
                });
            }
        }
        let statement = vocab::statement_iri(relation);
        if !statements.insert(statement.clone()) {
            return Err(StoreError::DuplicateStatement {
                doc: meta.id.clone(),
                statement,
                relation: format!("{} {} {}", relation.subject, relation.kind, relation.object),
            });
        }
        write_relation(&mut graph, &doc, named(statement)?, relation)?;
    }

    let mut catalogue = GraphWriter::new(&NamedNode::new_unchecked(CATALOGUE_GRAPH));
    write_catalogue_entry(&mut catalogue, &doc, meta);

    let mut quads = graph.quads;
    quads.extend(catalogue.quads);
    dedup_quads(&mut quads);
    Ok(quads)
}

/// Drops repeated quads, keeping the first of each in place.
///
/// The order of the remaining quads follows the input, which is itself
/// deterministic; the store does not depend on it, so no sort is needed. Hashing
/// the quads is much cheaper than [`sort_quads`]'s text keys on the write path.
fn dedup_quads(quads: &mut Vec<Quad>) {
    let mut seen = std::collections::HashSet::with_capacity(quads.len());
    quads.retain(|q| seen.insert(q.clone()));
}

/// Sorts quads by their N-Quads text and drops duplicates, for deterministic output.
pub(crate) fn sort_quads(quads: &mut Vec<Quad>) {
    let mut keyed: Vec<(String, Quad)> = quads.drain(..).map(|q| (q.to_string(), q)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    quads.extend(keyed.into_iter().map(|(_, q)| q));
}

fn write_entity(graph: &mut GraphWriter, entity: &Entity) -> Result<(), StoreError> {
    let node = named(vocab::entity_iri(&entity.id))?;
    graph.add(&node, rdf::TYPE, term(vocab::entity_kind_iri(entity.kind)));
    graph.add(&node, rdf::TYPE, term(mg::ENTITY));
    graph.string(&node, rdfs::LABEL, &entity.name);
    graph.string(&node, skos::PREF_LABEL, &entity.name);
    for alias in &entity.aliases {
        graph.string(&node, skos::ALT_LABEL, alias);
    }
    if let Some(qid) = &entity.wikidata {
        // owl:sameAs for reasoners and the read-back; skos:exactMatch for SKOS
        // tools and the EU vocabularies, which link authorities that way.
        let item = named(vocab::wikidata_iri(qid))?;
        graph.add(&node, owl::SAME_AS, item.clone());
        graph.add(&node, skos::EXACT_MATCH, item);
    }
    if let Some(code) = &entity.iso2 {
        graph.string(&node, mg::ISO2, code);
    }
    if let Some(code) = &entity.iso3 {
        graph.string(&node, mg::ISO3, code);
        // Only a country has an entry in the EU country table, and only a
        // well-formed code names one; anything else stays a plain code.
        if entity.kind == EntityKind::Country
            && let Some(authority) = vocab::eu_country_iri(code)
        {
            graph.add(&node, skos::EXACT_MATCH, named(authority)?);
        }
    }
    graph.string(&node, mg::ORIGIN, &entity.origin);
    Ok(())
}

fn write_relation(
    graph: &mut GraphWriter,
    doc: &NamedNode,
    statement: NamedNode,
    relation: &Relation,
) -> Result<(), StoreError> {
    let subject = named(vocab::entity_iri(&relation.subject))?;
    let object = named(vocab::entity_iri(&relation.object))?;
    let predicate = vocab::relation_iri(relation.kind);
    graph.add(&subject, predicate, object.clone());

    let st = &statement;
    graph.add(st, rdf::TYPE, term(rdf::STATEMENT));
    graph.add(st, rdf::TYPE, term(mg::STATEMENT));
    graph.add(st, rdf::SUBJECT, subject);
    graph.add(st, rdf::PREDICATE, term(predicate));
    graph.add(st, rdf::OBJECT, object);
    if let Some(money) = &relation.money {
        let amount = Literal::new_typed_literal(money.amount.to_string(), term(xsd::DECIMAL));
        graph.add(st, mg::AMOUNT, amount);
        graph.string(st, mg::CURRENCY, &money.currency);
    }
    if let Some(when) = &relation.when {
        graph.string(st, mg::DATE_ROLE, when.role());
        match when {
            When::At { date } | When::Since { date } | When::Until { date } => {
                graph.date(st, mg::DATE, date);
            }
            When::Between { start, end } => {
                graph.date(st, mg::START_DATE, start);
                graph.date(st, mg::END_DATE, end);
            }
        }
    }
    let ev = &relation.evidence;
    graph.string(st, mg::EVIDENCE, &ev.quote);
    graph.string(st, mg::SENTENCE, &ev.sentence);
    graph.integer(st, mg::SENTENCE_START, ev.sentence_start);
    graph.integer(st, mg::SENTENCE_END, ev.sentence_end);
    graph.integer(st, mg::QUOTE_START, ev.quote_start);
    graph.integer(st, mg::QUOTE_END, ev.quote_end);
    if let Some(article) = &ev.article {
        graph.string(st, mg::ARTICLE, article);
    }
    graph.string(st, mg::RULE, &ev.rule);
    graph.add(st, prov::WAS_DERIVED_FROM, doc.clone());
    Ok(())
}

fn write_catalogue_entry(graph: &mut GraphWriter, doc: &NamedNode, meta: &DocumentMeta) {
    graph.add(doc, rdf::TYPE, term(mg::DOCUMENT));
    graph.add(doc, rdf::TYPE, term(prov::ENTITY));
    graph.string(doc, mg::DOCUMENT_ID, &meta.id);
    graph.string(doc, dcterms::SOURCE, &meta.source);
    if let Some(title) = &meta.title {
        graph.string(doc, dcterms::TITLE, title);
    }
    if let Some(date) = &meta.date {
        graph.date(doc, dcterms::DATE, date);
    }
    graph.string(doc, mg::CONTENT_HASH, &meta.content_hash);
    graph.integer(doc, mg::ARTICLES, meta.n_articles);
    graph.integer(doc, mg::SENTENCES, meta.n_sentences);
}

/// The predicate–object pairs of one subject, in the order the store returned them.
pub(crate) type Description = Vec<(NamedNode, Term)>;

/// Groups quads by subject IRI (blank-node subjects are not written by migraph and
/// are skipped).
pub(crate) fn group_by_subject(
    quads: impl IntoIterator<Item = Quad>,
) -> BTreeMap<String, Description> {
    let mut groups: BTreeMap<String, Description> = BTreeMap::new();
    for quad in quads {
        if let NamedOrBlankNode::NamedNode(s) = quad.subject {
            groups.entry(s.into_string()).or_default().push((quad.predicate, quad.object));
        }
    }
    groups
}

/// Reads typed values out of one subject's description, with errors that name it.
struct Reader<'a> {
    subject: &'a str,
    description: &'a Description,
}

impl<'a> Reader<'a> {
    fn objects(&self, predicate: &'static str) -> impl Iterator<Item = &'a Term> + use<'a> {
        self.description.iter().filter(move |(p, _)| p.as_str() == predicate).map(|(_, o)| o)
    }

    fn has(&self, predicate: &'static str, object: &'static str) -> bool {
        self.objects(predicate).any(|o| matches!(o, Term::NamedNode(n) if n.as_str() == object))
    }

    fn corrupt(&self, message: String) -> StoreError {
        StoreError::Corrupt { subject: self.subject.to_owned(), message }
    }

    /// The one value of a property, or `None` when absent; an error when repeated.
    fn optional(&self, predicate: &'static str) -> Result<Option<&'a Term>, StoreError> {
        let mut values = self.objects(predicate);
        let first = values.next();
        if values.next().is_some() {
            return Err(self.corrupt(format!("more than one <{predicate}>")));
        }
        Ok(first)
    }

    fn required(&self, predicate: &'static str) -> Result<&'a Term, StoreError> {
        self.optional(predicate)?.ok_or_else(|| self.corrupt(format!("no <{predicate}>")))
    }

    fn literal(&self, predicate: &'static str, value: &'a Term) -> Result<&'a str, StoreError> {
        match value {
            Term::Literal(l) => Ok(l.value()),
            other => Err(self.corrupt(format!("<{predicate}> is {other}, expected a literal"))),
        }
    }

    fn iri(&self, predicate: &'static str, value: &'a Term) -> Result<&'a str, StoreError> {
        match value {
            Term::NamedNode(n) => Ok(n.as_str()),
            other => Err(self.corrupt(format!("<{predicate}> is {other}, expected an IRI"))),
        }
    }

    fn string(&self, predicate: &'static str) -> Result<String, StoreError> {
        Ok(self.literal(predicate, self.required(predicate)?)?.to_owned())
    }

    fn optional_string(&self, predicate: &'static str) -> Result<Option<String>, StoreError> {
        self.optional(predicate)?.map(|v| self.literal(predicate, v).map(str::to_owned)).transpose()
    }

    fn strings(&self, predicate: &'static str) -> Result<Vec<String>, StoreError> {
        self.objects(predicate).map(|v| self.literal(predicate, v).map(str::to_owned)).collect()
    }

    fn number<T: std::str::FromStr>(&self, predicate: &'static str) -> Result<T, StoreError> {
        let text = self.literal(predicate, self.required(predicate)?)?;
        text.parse()
            .map_err(|_| self.corrupt(format!("<{predicate}> {text:?} is not a whole number")))
    }

    fn date(&self, predicate: &'static str, value: &'a Term) -> Result<IsoDate, StoreError> {
        let text = self.literal(predicate, value)?;
        text.parse().map_err(|e| self.corrupt(format!("<{predicate}>: {e}")))
    }

    fn optional_date(&self, predicate: &'static str) -> Result<Option<IsoDate>, StoreError> {
        self.optional(predicate)?.map(|v| self.date(predicate, v)).transpose()
    }

    fn required_date(&self, predicate: &'static str) -> Result<IsoDate, StoreError> {
        self.date(predicate, self.required(predicate)?)
    }

    fn entity(&self, predicate: &'static str) -> Result<EntityId, StoreError> {
        let iri = self.iri(predicate, self.required(predicate)?)?;
        vocab::entity_id_from_iri(iri)
            .ok_or_else(|| self.corrupt(format!("<{predicate}> <{iri}> is not an entity IRI")))
    }
}

/// The catalogue entry of a document, or `None` when `subject` is not typed
/// `mg:Document`.
pub(crate) fn decode_catalogue_entry(
    subject: &str,
    description: &Description,
) -> Result<Option<DocumentMeta>, StoreError> {
    let r = Reader { subject, description };
    if !r.has(rdf::TYPE, mg::DOCUMENT) {
        return Ok(None);
    }
    Ok(Some(DocumentMeta {
        id: r.string(mg::DOCUMENT_ID)?,
        source: r.string(dcterms::SOURCE)?,
        title: r.optional_string(dcterms::TITLE)?,
        date: r.optional_date(dcterms::DATE)?,
        content_hash: r.string(mg::CONTENT_HASH)?,
        n_articles: r.number(mg::ARTICLES)?,
        n_sentences: r.number(mg::SENTENCES)?,
    }))
}

/// What one document graph holds.
#[derive(Debug, Default)]
pub(crate) struct DecodedDocument {
    /// Entity descriptions, by id.
    pub(crate) entities: BTreeMap<EntityId, Entity>,
    /// Relations, in statement IRI order.
    pub(crate) relations: Vec<Relation>,
}

/// Decodes the entities and statements of one document graph.
///
/// Subjects that are neither `mg:Entity` nor `mg:Statement` (for instance triples a
/// user added with SPARQL Update) are ignored; the direct `<s> mg:rel <o>` triples are
/// redundant with the statements and are not read.
pub(crate) fn decode_document(
    doc_id: &str,
    groups: &BTreeMap<String, Description>,
) -> Result<DecodedDocument, StoreError> {
    let mut out = DecodedDocument::default();
    for (subject, description) in groups {
        let r = Reader { subject, description };
        if r.has(rdf::TYPE, mg::ENTITY) {
            let entity = decode_entity(&r)?;
            out.entities.insert(entity.id.clone(), entity);
        } else if r.has(rdf::TYPE, mg::STATEMENT) {
            out.relations.push(decode_statement(&r, doc_id)?);
        }
    }
    Ok(out)
}

fn decode_entity(r: &Reader<'_>) -> Result<Entity, StoreError> {
    let id = vocab::entity_id_from_iri(r.subject)
        .ok_or_else(|| r.corrupt("an mg:Entity outside the entity namespace".to_owned()))?;
    let mut kinds = r.objects(rdf::TYPE).filter_map(|t| match t {
        Term::NamedNode(n) => vocab::entity_kind_from_iri(n.as_str()),
        _ => None,
    });
    let kind =
        kinds.next().ok_or_else(|| r.corrupt("no entity kind among its types".to_owned()))?;
    if kinds.next().is_some() {
        return Err(r.corrupt("more than one entity kind".to_owned()));
    }
    let wikidata =
        match r.optional(owl::SAME_AS)? {
            Some(value) => {
                let iri = r.iri(owl::SAME_AS, value)?;
                Some(vocab::wikidata_id_from_iri(iri).ok_or_else(|| {
                    r.corrupt(format!("owl:sameAs <{iri}> is not a Wikidata item"))
                })?)
            }
            None => None,
        };
    let mut aliases = r.strings(skos::ALT_LABEL)?;
    aliases.sort();
    Ok(Entity {
        id,
        name: r.string(rdfs::LABEL)?,
        kind,
        wikidata,
        iso2: r.optional_string(mg::ISO2)?,
        iso3: r.optional_string(mg::ISO3)?,
        aliases,
        origin: r.string(mg::ORIGIN)?,
    })
}

fn decode_statement(r: &Reader<'_>, doc_id: &str) -> Result<Relation, StoreError> {
    let predicate = r.iri(rdf::PREDICATE, r.required(rdf::PREDICATE)?)?;
    let kind = vocab::relation_kind_from_iri(predicate).ok_or_else(|| {
        r.corrupt(format!("rdf:predicate <{predicate}> is not a migraph relation"))
    })?;
    let money = match r.optional(mg::AMOUNT)? {
        Some(value) => {
            let text = r.literal(mg::AMOUNT, value)?;
            let amount = text
                .parse()
                .map_err(|_| r.corrupt(format!("mg:amount {text:?} is not a whole number")))?;
            Some(Money { amount, currency: r.string(mg::CURRENCY)? })
        }
        None => None,
    };
    let when = match r.optional_string(mg::DATE_ROLE)?.as_deref() {
        None => None,
        Some("at") => Some(When::At { date: r.required_date(mg::DATE)? }),
        Some("since") => Some(When::Since { date: r.required_date(mg::DATE)? }),
        Some("until") => Some(When::Until { date: r.required_date(mg::DATE)? }),
        Some("between") => Some(When::Between {
            start: r.required_date(mg::START_DATE)?,
            end: r.required_date(mg::END_DATE)?,
        }),
        Some(other) => return Err(r.corrupt(format!("unknown mg:dateRole {other:?}"))),
    };
    Ok(Relation {
        subject: r.entity(rdf::SUBJECT)?,
        kind,
        object: r.entity(rdf::OBJECT)?,
        money,
        when,
        evidence: Evidence {
            doc: doc_id.to_owned(),
            article: r.optional_string(mg::ARTICLE)?,
            sentence: r.string(mg::SENTENCE)?,
            sentence_start: r.number(mg::SENTENCE_START)?,
            sentence_end: r.number(mg::SENTENCE_END)?,
            quote: r.string(mg::EVIDENCE)?,
            quote_start: r.number(mg::QUOTE_START)?,
            quote_end: r.number(mg::QUOTE_END)?,
            rule: r.string(mg::RULE)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use migraph_core::model::RelationKind;

    #[test]
    fn rdf_vocabulary_constants_are_valid_iris() {
        let consts = [
            mg::ENTITY,
            mg::STATEMENT,
            mg::DOCUMENT,
            mg::ISO2,
            mg::ISO3,
            mg::ORIGIN,
            mg::AMOUNT,
            mg::CURRENCY,
            mg::DATE,
            mg::DATE_ROLE,
            mg::START_DATE,
            mg::END_DATE,
            mg::EVIDENCE,
            mg::SENTENCE,
            mg::SENTENCE_START,
            mg::SENTENCE_END,
            mg::QUOTE_START,
            mg::QUOTE_END,
            mg::ARTICLE,
            mg::RULE,
            mg::DOCUMENT_ID,
            mg::CONTENT_HASH,
            mg::ARTICLES,
            mg::SENTENCES,
            rdf::TYPE,
            rdf::STATEMENT,
            rdf::SUBJECT,
            rdf::PREDICATE,
            rdf::OBJECT,
            rdfs::LABEL,
            owl::SAME_AS,
            xsd::STRING,
            xsd::DECIMAL,
            xsd::INTEGER,
            xsd::DATE,
            xsd::G_YEAR_MONTH,
            xsd::G_YEAR,
            skos::PREF_LABEL,
            skos::ALT_LABEL,
            skos::EXACT_MATCH,
            prov::ENTITY,
            prov::WAS_DERIVED_FROM,
            dcterms::TITLE,
            dcterms::DATE,
            dcterms::SOURCE,
            dcterms::DESCRIPTION,
            dcterms::FORMAT,
            dcterms::TEMPORAL,
            dcterms::PERIOD_OF_TIME,
            vocab::void::DATASET,
            vocab::void::TRIPLES,
            vocab::void::ENTITIES,
            vocab::void::DISTINCT_SUBJECTS,
            vocab::void::DISTINCT_OBJECTS,
            vocab::void::PROPERTIES,
            vocab::void::CLASSES,
            vocab::void::DOCUMENTS,
            vocab::void::CLASS_PARTITION,
            vocab::void::CLASS,
            vocab::void::PROPERTY_PARTITION,
            vocab::void::PROPERTY,
            vocab::void::URI_SPACE,
            vocab::void::VOCABULARY,
            vocab::dcat::DATASET,
            vocab::dcat::DISTRIBUTION_CLASS,
            vocab::dcat::DISTRIBUTION,
            vocab::dcat::MEDIA_TYPE,
            vocab::dcat::KEYWORD,
            vocab::dcat::START_DATE,
            vocab::dcat::END_DATE,
            CATALOGUE_GRAPH,
            vocab::ONTOLOGY_GRAPH,
            vocab::DESCRIPTION_GRAPH,
            vocab::DATASET,
        ];
        let kinds = EntityKind::ALL.iter().map(|k| vocab::entity_kind_iri(*k));
        let relations = RelationKind::ALL.iter().map(|k| vocab::relation_iri(*k));
        for iri in consts.into_iter().chain(kinds).chain(relations) {
            assert!(NamedNode::new(iri).is_ok(), "{iri}");
        }
    }

    fn sample() -> (DocumentMeta, Vec<Entity>, Vec<Relation>) {
        let meta = DocumentMeta {
            id: "bulletin 1.txt".to_owned(),
            source: "corpus/bulletin 1.txt".to_owned(),
            title: Some("Weekly notes".to_owned()),
            date: Some(IsoDate::month(2025, 5)),
            content_hash: "ab12".to_owned(),
            n_articles: 2,
            n_sentences: 9,
        };
        let mut eu = Entity::new("European Union", EntityKind::EUInstitution, "gazetteer:eu.tsv");
        eu.aliases = vec!["EU".to_owned()];
        eu.wikidata = Some("Q458".to_owned());
        let mut tn = Entity::new("Tunisia", EntityKind::Country, "gazetteer:countries.tsv");
        tn.iso2 = Some("TN".to_owned());
        tn.iso3 = Some("TUN".to_owned());
        let relation = Relation {
            subject: eu.id.clone(),
            kind: RelationKind::Funds,
            object: tn.id.clone(),
            money: Some(Money::eur(105_000_000)),
            when: Some(When::Between { start: IsoDate::year(2023), end: IsoDate::month(2024, 6) }),
            evidence: Evidence {
                doc: meta.id.clone(),
                article: Some("Money for the coast".to_owned()),
                sentence: "The EU pays Tunisia 105 million euros.".to_owned(),
                sentence_start: 10,
                sentence_end: 48,
                quote: "EU pays Tunisia 105 million".to_owned(),
                quote_start: 14,
                quote_end: 41,
                rule: "funds.pays".to_owned(),
            },
        };
        (meta, vec![eu, tn], vec![relation])
    }

    #[test]
    fn rdf_document_quads_decode_to_the_same_values() {
        let (meta, entities, relations) = sample();
        let quads = document_quads(&meta, &entities, &relations).unwrap();
        let doc_graph = vocab::document_iri(&meta.id);
        let (in_doc, in_catalogue): (Vec<Quad>, Vec<Quad>) = quads.into_iter().partition(
            |q| matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == doc_graph),
        );
        assert!(in_catalogue.iter().all(
            |q| matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == CATALOGUE_GRAPH)
        ));

        let catalogue = group_by_subject(in_catalogue);
        let entry = catalogue.get(&doc_graph).expect("catalogue entry");
        assert_eq!(decode_catalogue_entry(&doc_graph, entry).unwrap(), Some(meta.clone()));

        let decoded = decode_document(&meta.id, &group_by_subject(in_doc)).unwrap();
        assert_eq!(decoded.entities.into_values().collect::<Vec<_>>(), entities);
        assert_eq!(decoded.relations, relations);
    }

    #[test]
    fn rdf_entities_link_wikidata_and_the_eu_country_table() {
        let (meta, entities, relations) = sample();
        let quads = document_quads(&meta, &entities, &relations).unwrap();
        let links = |entity: &str, predicate: &str| -> Vec<String> {
            let mut out: Vec<String> = quads
                .iter()
                .filter(|q| q.subject.to_string() == format!("<{}{entity}>", vocab::ENTITY_NS))
                .filter(|q| q.predicate.as_str() == predicate)
                .map(|q| q.object.to_string())
                .collect();
            out.sort();
            out
        };
        assert_eq!(
            links("european-union", owl::SAME_AS),
            ["<http://www.wikidata.org/entity/Q458>"]
        );
        assert_eq!(
            links("european-union", skos::EXACT_MATCH),
            ["<http://www.wikidata.org/entity/Q458>"]
        );
        assert_eq!(
            links("tunisia", skos::EXACT_MATCH),
            ["<http://publications.europa.eu/resource/authority/country/TUN>"]
        );
        assert_eq!(links("tunisia", mg::ISO2), ["\"TN\""]);
        assert!(links("tunisia", owl::SAME_AS).is_empty());
    }

    #[test]
    fn rdf_document_quads_reject_inconsistent_input() {
        let (meta, entities, relations) = sample();
        let err = document_quads(&meta, &entities[..1], &relations).unwrap_err();
        assert!(matches!(err, StoreError::MissingEntity { ref entity, .. } if entity == "tunisia"));

        let mut foreign = relations.clone();
        foreign[0].evidence.doc = "other.txt".to_owned();
        let err = document_quads(&meta, &entities, &foreign).unwrap_err();
        assert!(matches!(err, StoreError::ForeignRelation { .. }), "{err}");

        let twice = vec![relations[0].clone(), relations[0].clone()];
        let err = document_quads(&meta, &entities, &twice).unwrap_err();
        assert!(err.to_string().contains("european-union funds tunisia"), "{err}");
    }

    #[test]
    fn rdf_decode_reports_corrupt_statements() {
        let (meta, entities, relations) = sample();
        let quads = document_quads(&meta, &entities, &relations).unwrap();
        // Drop the statement's quote: the statement can no longer be restored.
        let kept = quads.into_iter().filter(|q| q.predicate.as_str() != mg::EVIDENCE);
        let err = decode_document(&meta.id, &group_by_subject(kept)).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("evidence"), "{err}");
    }
}
