//! The RDF vocabulary: namespaces, one IRI constant per class and property, and the
//! IRI scheme for entities, documents, statements and graphs.
//!
//! This is the single place where migraph IRIs are spelled out; the store writes and
//! reads RDF with these constants and the exporters use them for identifiers, so the
//! IRIs (a user-facing contract) cannot drift apart. The module holds plain `&str`
//! constants and string functions only: it must not depend on an RDF library, so that
//! `migraph-core` stays free of `oxigraph`.
//!
//! The scheme:
//!
//! | thing | IRI |
//! |---|---|
//! | ontology terms | `https://w3id.org/migraph/ontology#<name>` (prefix `mg:`) |
//! | entity | `https://w3id.org/migraph/id/entity/<EntityId slug>` |
//! | document (and its named graph) | `https://w3id.org/migraph/id/doc/<percent-encoded doc id>` |
//! | statement | `https://w3id.org/migraph/id/statement/<hash>` |
//! | catalogue graph | `https://w3id.org/migraph/graph/catalogue` |
//! | ontology graph | `https://w3id.org/migraph/graph/ontology` |
//! | dataset description graph (VoID, DCAT) | `https://w3id.org/migraph/graph/void` |
//! | the dataset itself | `https://w3id.org/migraph/id/dataset` |
//!
//! Entities are aligned with outside authorities: a Wikidata item through
//! `owl:sameAs` and `skos:exactMatch`, a country also with the EU Publications
//! Office country authority (`http://publications.europa.eu/resource/authority/country/<ISO3>`).

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::{EntityId, EntityKind, IsoDate, Relation, RelationKind};

/// Expands to the IRI of a term of the migraph ontology, as a string literal.
macro_rules! mg_iri {
    ($name:literal) => {
        concat!("https://w3id.org/migraph/ontology#", $name)
    };
}

/// Namespace of the migraph ontology (prefix `mg:`).
pub const MG: &str = mg_iri!("");
/// Namespace of entity IRIs; the local name is the [`EntityId`] slug.
pub const ENTITY_NS: &str = "https://w3id.org/migraph/id/entity/";
/// Namespace of document IRIs; the local name is the percent-encoded document id.
pub const DOC_NS: &str = "https://w3id.org/migraph/id/doc/";
/// Namespace of statement (reified relation) IRIs; the local name is a hash.
pub const STATEMENT_NS: &str = "https://w3id.org/migraph/id/statement/";
/// The named graph that describes every loaded document (title, date, hash, counts).
pub const CATALOGUE_GRAPH: &str = "https://w3id.org/migraph/graph/catalogue";
/// The named graph that holds the migraph ontology (`ontology/migraph.ttl`).
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/migraph/graph/ontology";
/// The named graph that holds the VoID and DCAT description of the dataset.
pub const DESCRIPTION_GRAPH: &str = "https://w3id.org/migraph/graph/void";
/// The IRI of the dataset a store holds (`void:Dataset`, `dcat:Dataset`).
pub const DATASET: &str = "https://w3id.org/migraph/id/dataset";
/// Namespace of Wikidata items; `owl:sameAs` links point here.
pub const WIKIDATA_NS: &str = "http://www.wikidata.org/entity/";
/// Namespace of the EU Publications Office country authority table; the local name
/// is the ISO 3166-1 alpha-3 code.
pub const EU_COUNTRY_NS: &str = "http://publications.europa.eu/resource/authority/country/";

/// Terms of the migraph ontology (`ontology/migraph.ttl`).
///
/// Class names equal [`EntityKind::as_str`](crate::model::EntityKind::as_str) and
/// object property names equal
/// [`RelationKind::as_str`](crate::model::RelationKind::as_str); a test in the store
/// checks the ontology file declares each of them.
pub mod mg {
    /// Superclass of every entity kind.
    pub const ENTITY: &str = mg_iri!("Entity");
    /// A relation read from a document, reified with its evidence.
    pub const STATEMENT: &str = mg_iri!("Statement");
    /// A source document (bulletin).
    pub const DOCUMENT: &str = mg_iri!("Document");

    /// Class `mg:Country`.
    pub const COUNTRY: &str = mg_iri!("Country");
    /// Class `mg:Region`.
    pub const REGION: &str = mg_iri!("Region");
    /// Class `mg:EUInstitution`.
    pub const EU_INSTITUTION: &str = mg_iri!("EUInstitution");
    /// Class `mg:EUAgency`.
    pub const EU_AGENCY: &str = mg_iri!("EUAgency");
    /// Class `mg:Mission`.
    pub const MISSION: &str = mg_iri!("Mission");
    /// Class `mg:InternationalOrganisation`.
    pub const INTERNATIONAL_ORGANISATION: &str = mg_iri!("InternationalOrganisation");
    /// Class `mg:Authority`.
    pub const AUTHORITY: &str = mg_iri!("Authority");
    /// Class `mg:Company`.
    pub const COMPANY: &str = mg_iri!("Company");
    /// Class `mg:NGO`.
    pub const NGO: &str = mg_iri!("NGO");
    /// Class `mg:Person`.
    pub const PERSON: &str = mg_iri!("Person");
    /// Class `mg:Programme`.
    pub const PROGRAMME: &str = mg_iri!("Programme");
    /// Class `mg:Agreement`.
    pub const AGREEMENT: &str = mg_iri!("Agreement");

    /// Object property `mg:funds`.
    pub const FUNDS: &str = mg_iri!("funds");
    /// Object property `mg:cooperatesWith` (symmetric).
    pub const COOPERATES_WITH: &str = mg_iri!("cooperatesWith");
    /// Object property `mg:deploysTo`.
    pub const DEPLOYS_TO: &str = mg_iri!("deploysTo");
    /// Object property `mg:supports`.
    pub const SUPPORTS: &str = mg_iri!("supports");
    /// Object property `mg:negotiatesAgreementWith`.
    pub const NEGOTIATES_AGREEMENT_WITH: &str = mg_iri!("negotiatesAgreementWith");
    /// Object property `mg:imposesMeasureOn`.
    pub const IMPOSES_MEASURE_ON: &str = mg_iri!("imposesMeasureOn");
    /// Object property `mg:returnsMigrantsTo`.
    pub const RETURNS_MIGRANTS_TO: &str = mg_iri!("returnsMigrantsTo");
    /// Object property `mg:operatesIn`.
    pub const OPERATES_IN: &str = mg_iri!("operatesIn");
    /// Object property `mg:meetsWith` (symmetric).
    pub const MEETS_WITH: &str = mg_iri!("meetsWith");
    /// Object property `mg:presentsTo`.
    pub const PRESENTS_TO: &str = mg_iri!("presentsTo");
    /// Object property `mg:discusses`.
    pub const DISCUSSES: &str = mg_iri!("discusses");
    /// Object property `mg:contractedBy`.
    pub const CONTRACTED_BY: &str = mg_iri!("contractedBy");
    /// Object property `mg:memberOf`.
    pub const MEMBER_OF: &str = mg_iri!("memberOf");
    /// Object property `mg:participatesIn`.
    pub const PARTICIPATES_IN: &str = mg_iri!("participatesIn");
    /// Object property `mg:usesForceAgainst`.
    pub const USES_FORCE_AGAINST: &str = mg_iri!("usesForceAgainst");
    /// Object property `mg:partOf`.
    pub const PART_OF: &str = mg_iri!("partOf");

    /// ISO 3166-1 alpha-2 code of a country (`xsd:string`).
    pub const ISO2: &str = mg_iri!("iso2");
    /// ISO 3166-1 alpha-3 code of a country (`xsd:string`).
    pub const ISO3: &str = mg_iri!("iso3");
    /// Where an entity description came from (`gazetteer:<file>`, `discovered:<rule>`).
    pub const ORIGIN: &str = mg_iri!("origin");

    /// Amount of money of a `funds` statement (`xsd:decimal`, whole units).
    pub const AMOUNT: &str = mg_iri!("amount");
    /// ISO 4217 currency code of [`AMOUNT`].
    pub const CURRENCY: &str = mg_iri!("currency");
    /// The date of an `at`, `since` or `until` statement (`xsd:date`, `gYearMonth` or `gYear`).
    pub const DATE: &str = mg_iri!("date");
    /// How the date bounds the statement: `at`, `since`, `until` or `between`.
    pub const DATE_ROLE: &str = mg_iri!("dateRole");
    /// The start of a `between` period.
    pub const START_DATE: &str = mg_iri!("startDate");
    /// The end of a `between` period.
    pub const END_DATE: &str = mg_iri!("endDate");
    /// The quote that states the relation.
    pub const EVIDENCE: &str = mg_iri!("evidence");
    /// The whole sentence that holds the quote.
    pub const SENTENCE: &str = mg_iri!("sentence");
    /// Byte offset of the sentence in the document text (`xsd:integer`).
    pub const SENTENCE_START: &str = mg_iri!("sentenceStart");
    /// Byte offset one past the sentence's end (`xsd:integer`).
    pub const SENTENCE_END: &str = mg_iri!("sentenceEnd");
    /// Byte offset of the quote in the document text (`xsd:integer`).
    pub const QUOTE_START: &str = mg_iri!("quoteStart");
    /// Byte offset one past the quote's end (`xsd:integer`).
    pub const QUOTE_END: &str = mg_iri!("quoteEnd");
    /// Headline of the article that holds the sentence.
    pub const ARTICLE: &str = mg_iri!("article");
    /// Id of the extraction rule that produced the statement.
    pub const RULE: &str = mg_iri!("rule");

    /// The document id (file name) of a document.
    pub const DOCUMENT_ID: &str = mg_iri!("documentId");
    /// Hex SHA-256 of a document's raw bytes.
    pub const CONTENT_HASH: &str = mg_iri!("contentHash");
    /// Number of articles in a document (`xsd:integer`).
    pub const ARTICLES: &str = mg_iri!("articles");
    /// Number of sentences in a document (`xsd:integer`).
    pub const SENTENCES: &str = mg_iri!("sentences");
}

/// RDF terms (<http://www.w3.org/1999/02/22-rdf-syntax-ns#>).
pub mod rdf {
    /// Namespace.
    pub const NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    /// `rdf:type`.
    pub const TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    /// `rdf:Statement`.
    pub const STATEMENT: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement";
    /// `rdf:subject`.
    pub const SUBJECT: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject";
    /// `rdf:predicate`.
    pub const PREDICATE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate";
    /// `rdf:object`.
    pub const OBJECT: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object";
}

/// RDFS terms (<http://www.w3.org/2000/01/rdf-schema#>).
pub mod rdfs {
    /// Namespace.
    pub const NS: &str = "http://www.w3.org/2000/01/rdf-schema#";
    /// `rdfs:label`.
    pub const LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
    /// `rdfs:comment`.
    pub const COMMENT: &str = "http://www.w3.org/2000/01/rdf-schema#comment";
}

/// OWL terms (<http://www.w3.org/2002/07/owl#>).
pub mod owl {
    /// Namespace.
    pub const NS: &str = "http://www.w3.org/2002/07/owl#";
    /// `owl:sameAs`.
    pub const SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
    /// `owl:Class`.
    pub const CLASS: &str = "http://www.w3.org/2002/07/owl#Class";
    /// `owl:ObjectProperty`.
    pub const OBJECT_PROPERTY: &str = "http://www.w3.org/2002/07/owl#ObjectProperty";
    /// `owl:DatatypeProperty`.
    pub const DATATYPE_PROPERTY: &str = "http://www.w3.org/2002/07/owl#DatatypeProperty";
    /// `owl:SymmetricProperty`.
    pub const SYMMETRIC_PROPERTY: &str = "http://www.w3.org/2002/07/owl#SymmetricProperty";
}

/// XML Schema datatypes (<http://www.w3.org/2001/XMLSchema#>).
pub mod xsd {
    /// Namespace.
    pub const NS: &str = "http://www.w3.org/2001/XMLSchema#";
    /// `xsd:string`.
    pub const STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
    /// `xsd:decimal`.
    pub const DECIMAL: &str = "http://www.w3.org/2001/XMLSchema#decimal";
    /// `xsd:integer`.
    pub const INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
    /// `xsd:date`.
    pub const DATE: &str = "http://www.w3.org/2001/XMLSchema#date";
    /// `xsd:gYearMonth`.
    pub const G_YEAR_MONTH: &str = "http://www.w3.org/2001/XMLSchema#gYearMonth";
    /// `xsd:gYear`.
    pub const G_YEAR: &str = "http://www.w3.org/2001/XMLSchema#gYear";
}

/// SKOS terms (<http://www.w3.org/2004/02/skos/core#>).
pub mod skos {
    /// Namespace.
    pub const NS: &str = "http://www.w3.org/2004/02/skos/core#";
    /// `skos:prefLabel`.
    pub const PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
    /// `skos:altLabel`.
    pub const ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
    /// `skos:exactMatch`.
    pub const EXACT_MATCH: &str = "http://www.w3.org/2004/02/skos/core#exactMatch";
}

/// PROV-O terms (<http://www.w3.org/ns/prov#>).
pub mod prov {
    /// Namespace.
    pub const NS: &str = "http://www.w3.org/ns/prov#";
    /// `prov:Entity`.
    pub const ENTITY: &str = "http://www.w3.org/ns/prov#Entity";
    /// `prov:wasDerivedFrom`.
    pub const WAS_DERIVED_FROM: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";
}

/// Dublin Core terms (<http://purl.org/dc/terms/>).
pub mod dcterms {
    /// Namespace.
    pub const NS: &str = "http://purl.org/dc/terms/";
    /// `dcterms:title`.
    pub const TITLE: &str = "http://purl.org/dc/terms/title";
    /// `dcterms:date`.
    pub const DATE: &str = "http://purl.org/dc/terms/date";
    /// `dcterms:source`.
    pub const SOURCE: &str = "http://purl.org/dc/terms/source";
    /// `dcterms:description`.
    pub const DESCRIPTION: &str = "http://purl.org/dc/terms/description";
    /// `dcterms:format`.
    pub const FORMAT: &str = "http://purl.org/dc/terms/format";
    /// `dcterms:temporal`.
    pub const TEMPORAL: &str = "http://purl.org/dc/terms/temporal";
    /// `dcterms:PeriodOfTime`.
    pub const PERIOD_OF_TIME: &str = "http://purl.org/dc/terms/PeriodOfTime";
}

/// VoID terms (<http://rdfs.org/ns/void#>), for the dataset description.
pub mod void {
    /// Namespace.
    pub const NS: &str = "http://rdfs.org/ns/void#";
    /// `void:Dataset`.
    pub const DATASET: &str = "http://rdfs.org/ns/void#Dataset";
    /// `void:triples`.
    pub const TRIPLES: &str = "http://rdfs.org/ns/void#triples";
    /// `void:entities`.
    pub const ENTITIES: &str = "http://rdfs.org/ns/void#entities";
    /// `void:distinctSubjects`.
    pub const DISTINCT_SUBJECTS: &str = "http://rdfs.org/ns/void#distinctSubjects";
    /// `void:distinctObjects`.
    pub const DISTINCT_OBJECTS: &str = "http://rdfs.org/ns/void#distinctObjects";
    /// `void:properties`.
    pub const PROPERTIES: &str = "http://rdfs.org/ns/void#properties";
    /// `void:classes`.
    pub const CLASSES: &str = "http://rdfs.org/ns/void#classes";
    /// `void:documents`.
    pub const DOCUMENTS: &str = "http://rdfs.org/ns/void#documents";
    /// `void:classPartition`.
    pub const CLASS_PARTITION: &str = "http://rdfs.org/ns/void#classPartition";
    /// `void:class`.
    pub const CLASS: &str = "http://rdfs.org/ns/void#class";
    /// `void:propertyPartition`.
    pub const PROPERTY_PARTITION: &str = "http://rdfs.org/ns/void#propertyPartition";
    /// `void:property`.
    pub const PROPERTY: &str = "http://rdfs.org/ns/void#property";
    /// `void:uriSpace`.
    pub const URI_SPACE: &str = "http://rdfs.org/ns/void#uriSpace";
    /// `void:vocabulary`.
    pub const VOCABULARY: &str = "http://rdfs.org/ns/void#vocabulary";
}

/// DCAT terms (<http://www.w3.org/ns/dcat#>), for the dataset description.
pub mod dcat {
    /// Namespace.
    pub const NS: &str = "http://www.w3.org/ns/dcat#";
    /// `dcat:Dataset`.
    pub const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";
    /// `dcat:Distribution`.
    pub const DISTRIBUTION_CLASS: &str = "http://www.w3.org/ns/dcat#Distribution";
    /// `dcat:distribution`.
    pub const DISTRIBUTION: &str = "http://www.w3.org/ns/dcat#distribution";
    /// `dcat:mediaType`.
    pub const MEDIA_TYPE: &str = "http://www.w3.org/ns/dcat#mediaType";
    /// `dcat:keyword`.
    pub const KEYWORD: &str = "http://www.w3.org/ns/dcat#keyword";
    /// `dcat:startDate`.
    pub const START_DATE: &str = "http://www.w3.org/ns/dcat#startDate";
    /// `dcat:endDate`.
    pub const END_DATE: &str = "http://www.w3.org/ns/dcat#endDate";
}

/// Prefixes used when serialising Turtle and TriG, and in the canned queries.
pub const PREFIXES: &[(&str, &str)] = &[
    ("mg", MG),
    ("entity", ENTITY_NS),
    ("doc", DOC_NS),
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("owl", owl::NS),
    ("xsd", xsd::NS),
    ("skos", skos::NS),
    ("prov", prov::NS),
    ("dcterms", dcterms::NS),
    ("wd", WIKIDATA_NS),
    ("void", void::NS),
    ("dcat", dcat::NS),
    ("country", EU_COUNTRY_NS),
];

/// The class IRI of an entity kind (`mg:Country`…).
pub const fn entity_kind_iri(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Country => mg::COUNTRY,
        EntityKind::Region => mg::REGION,
        EntityKind::EUInstitution => mg::EU_INSTITUTION,
        EntityKind::EUAgency => mg::EU_AGENCY,
        EntityKind::Mission => mg::MISSION,
        EntityKind::InternationalOrganisation => mg::INTERNATIONAL_ORGANISATION,
        EntityKind::Authority => mg::AUTHORITY,
        EntityKind::Company => mg::COMPANY,
        EntityKind::NGO => mg::NGO,
        EntityKind::Person => mg::PERSON,
        EntityKind::Programme => mg::PROGRAMME,
        EntityKind::Agreement => mg::AGREEMENT,
    }
}

/// The entity kind whose class IRI is `iri`, if any.
pub fn entity_kind_from_iri(iri: &str) -> Option<EntityKind> {
    EntityKind::ALL.iter().copied().find(|k| entity_kind_iri(*k) == iri)
}

/// The object property IRI of a relation kind (`mg:funds`…).
pub const fn relation_iri(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Funds => mg::FUNDS,
        RelationKind::CooperatesWith => mg::COOPERATES_WITH,
        RelationKind::DeploysTo => mg::DEPLOYS_TO,
        RelationKind::Supports => mg::SUPPORTS,
        RelationKind::NegotiatesAgreementWith => mg::NEGOTIATES_AGREEMENT_WITH,
        RelationKind::ImposesMeasureOn => mg::IMPOSES_MEASURE_ON,
        RelationKind::ReturnsMigrantsTo => mg::RETURNS_MIGRANTS_TO,
        RelationKind::OperatesIn => mg::OPERATES_IN,
        RelationKind::MeetsWith => mg::MEETS_WITH,
        RelationKind::PresentsTo => mg::PRESENTS_TO,
        RelationKind::Discusses => mg::DISCUSSES,
        RelationKind::ContractedBy => mg::CONTRACTED_BY,
        RelationKind::MemberOf => mg::MEMBER_OF,
        RelationKind::ParticipatesIn => mg::PARTICIPATES_IN,
        RelationKind::UsesForceAgainst => mg::USES_FORCE_AGAINST,
        RelationKind::PartOf => mg::PART_OF,
    }
}

/// The relation kind whose property IRI is `iri`, if any.
pub fn relation_kind_from_iri(iri: &str) -> Option<RelationKind> {
    RelationKind::ALL.iter().copied().find(|k| relation_iri(*k) == iri)
}

/// The XML Schema datatype IRI that fits a date's precision
/// (`xsd:date`, `xsd:gYearMonth` or `xsd:gYear`).
pub fn date_datatype(date: &IsoDate) -> &'static str {
    match (date.month, date.day) {
        (Some(_), Some(_)) => xsd::DATE,
        (Some(_), None) => xsd::G_YEAR_MONTH,
        (None, _) => xsd::G_YEAR,
    }
}

/// The IRI of an entity: [`ENTITY_NS`] + slug (percent-encoded should a hand-made
/// slug hold characters outside `[A-Za-z0-9._~-]`).
pub fn entity_iri(id: &EntityId) -> String {
    format!("{ENTITY_NS}{}", percent_encode(id.as_str()))
}

/// The entity id of an entity IRI, or `None` for any other IRI.
pub fn entity_id_from_iri(iri: &str) -> Option<EntityId> {
    let local = iri.strip_prefix(ENTITY_NS)?;
    percent_decode(local).filter(|s| !s.is_empty()).map(|s| EntityId::from_slug(&s))
}

/// The IRI of a document, which is also the name of the graph holding what was
/// read from it: [`DOC_NS`] + percent-encoded id.
///
/// # Example
/// ```
/// use migraph_core::model::vocab::document_iri;
/// assert_eq!(document_iri("a b.txt"), "https://w3id.org/migraph/id/doc/a%20b.txt");
/// ```
pub fn document_iri(doc_id: &str) -> String {
    format!("{DOC_NS}{}", percent_encode(doc_id))
}

/// The document id of a document IRI, or `None` for any other IRI.
pub fn document_id_from_iri(iri: &str) -> Option<String> {
    iri.strip_prefix(DOC_NS).and_then(percent_decode).filter(|s| !s.is_empty())
}

/// The Wikidata IRI of an item id (`Q458` → `http://www.wikidata.org/entity/Q458`).
pub fn wikidata_iri(qid: &str) -> String {
    format!("{WIKIDATA_NS}{}", percent_encode(qid))
}

/// The item id of a Wikidata IRI, or `None` for any other IRI.
pub fn wikidata_id_from_iri(iri: &str) -> Option<String> {
    iri.strip_prefix(WIKIDATA_NS).and_then(percent_decode).filter(|s| !s.is_empty())
}

/// The EU Publications Office authority IRI of a country from its ISO 3166-1
/// alpha-3 code (`TUN` → `http://publications.europa.eu/resource/authority/country/TUN`),
/// or `None` when `iso3` is not three ASCII capital letters.
pub fn eu_country_iri(iso3: &str) -> Option<String> {
    let valid = iso3.len() == 3 && iso3.bytes().all(|b| b.is_ascii_uppercase());
    valid.then(|| format!("{EU_COUNTRY_NS}{iso3}"))
}

/// The IRI of the statement node that reifies a relation.
///
/// The local name is the hex of the first 16 bytes of the SHA-256 of
/// (document, subject, relation, object, quote start, rule), each field length-prefixed
/// so that no two different tuples hash the same input. It is therefore stable across
/// runs, and loading a document twice writes the same nodes.
pub fn statement_iri(relation: &Relation) -> String {
    let ev = &relation.evidence;
    let mut hasher = Sha256::new();
    let quote_start = ev.quote_start.to_string();
    for field in [
        ev.doc.as_str(),
        relation.subject.as_str(),
        relation.kind.as_str(),
        relation.object.as_str(),
        quote_start.as_str(),
        ev.rule.as_str(),
    ] {
        hasher.update((field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    let digest = hasher.finalize();
    let mut iri = String::with_capacity(STATEMENT_NS.len() + 32);
    iri.push_str(STATEMENT_NS);
    for byte in digest.iter().take(16) {
        // Writing to a String cannot fail.
        let _ = write!(iri, "{byte:02x}");
    }
    iri
}

/// Percent-encodes every byte outside the RFC 3986 unreserved set `[A-Za-z0-9._~-]`,
/// so that any text becomes a valid IRI path segment.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, Relation};

    fn relation(doc: &str, subject: &str, quote_start: usize, rule: &str) -> Relation {
        Relation {
            subject: EntityId::from_slug(subject),
            kind: RelationKind::Funds,
            object: EntityId::from_name("Tunisia"),
            money: None,
            when: None,
            evidence: Evidence {
                doc: doc.to_owned(),
                article: None,
                sentence: "s".to_owned(),
                sentence_start: 0,
                sentence_end: 1,
                quote: "q".to_owned(),
                quote_start,
                quote_end: quote_start + 1,
                rule: rule.to_owned(),
            },
        }
    }

    #[test]
    fn vocab_kind_iris_round_trip_and_follow_names() {
        for kind in EntityKind::ALL {
            let iri = entity_kind_iri(*kind);
            assert_eq!(iri, format!("{MG}{}", kind.as_str()));
            assert_eq!(entity_kind_from_iri(iri), Some(*kind));
        }
        for kind in RelationKind::ALL {
            let iri = relation_iri(*kind);
            assert_eq!(iri, format!("{MG}{}", kind.as_str()));
            assert_eq!(relation_kind_from_iri(iri), Some(*kind));
        }
        assert_eq!(entity_kind_from_iri(mg::ENTITY), None);
        assert_eq!(relation_kind_from_iri(mg::AMOUNT), None);
    }

    #[test]
    fn vocab_document_iri_round_trips_any_id() {
        for id in ["000_4c29bab22beb8e5e.txt", "a b/c?d#e.html", "Bülletin %20.txt"] {
            let iri = document_iri(id);
            assert!(!iri[DOC_NS.len()..].contains(['/', '?', '#', ' ']), "{iri}");
            assert_eq!(document_id_from_iri(&iri).as_deref(), Some(id));
        }
        assert_eq!(document_id_from_iri("https://example.org/x"), None);
        assert_eq!(document_id_from_iri(&format!("{DOC_NS}%G1")), None);
        assert_eq!(document_id_from_iri(&format!("{DOC_NS}%C3")), None);
    }

    #[test]
    fn vocab_entity_iri_is_slug_and_round_trips() {
        let id = EntityId::from_name("Altaï Consulting");
        assert_eq!(entity_iri(&id), "https://w3id.org/migraph/id/entity/altai-consulting");
        assert_eq!(entity_id_from_iri(&entity_iri(&id)), Some(id));
        let odd = EntityId::from_slug("odd slug/1");
        assert_eq!(entity_id_from_iri(&entity_iri(&odd)), Some(odd));
        assert_eq!(entity_id_from_iri(ENTITY_NS), None);
    }

    #[test]
    fn vocab_statement_iri_is_stable_and_distinguishes_fields() {
        let a = statement_iri(&relation("d1", "eu", 10, "funds.money-to"));
        assert_eq!(a, statement_iri(&relation("d1", "eu", 10, "funds.money-to")));
        assert_eq!(a.len(), STATEMENT_NS.len() + 32);
        assert_ne!(a, statement_iri(&relation("d1", "eu", 11, "funds.money-to")));
        assert_ne!(a, statement_iri(&relation("d2", "eu", 10, "funds.money-to")));
        assert_ne!(a, statement_iri(&relation("d1", "eu", 10, "funds.other")));
        // Length prefixes keep field boundaries apart: ("ab", "c") differs from ("a", "bc").
        assert_ne!(
            statement_iri(&relation("ab", "c", 1, "r")),
            statement_iri(&relation("a", "bc", 1, "r"))
        );
    }

    #[test]
    fn vocab_date_datatype_follows_precision() {
        assert_eq!(date_datatype(&IsoDate::year(2025)), xsd::G_YEAR);
        assert_eq!(date_datatype(&IsoDate::month(2025, 5)), xsd::G_YEAR_MONTH);
        let day = IsoDate::day(2025, 5, 14).expect("valid date");
        assert_eq!(date_datatype(&day), xsd::DATE);
        assert_eq!(wikidata_id_from_iri(&wikidata_iri("Q458")).as_deref(), Some("Q458"));
    }

    #[test]
    fn vocab_eu_country_iri_needs_an_alpha3_code() {
        assert_eq!(
            eu_country_iri("TUN").as_deref(),
            Some("http://publications.europa.eu/resource/authority/country/TUN")
        );
        for bad in ["tun", "TN", "TUNS", "T N", ""] {
            assert_eq!(eu_country_iri(bad), None, "{bad:?}");
        }
    }
}
