//! The migraph data model: entities, relations, provenance and the knowledge graph.
//!
//! Every other module depends on this one and it depends on no other module of the
//! crate: no I/O, no RDF store types, no HTTP. The names of [`EntityKind`] and
//! [`RelationKind`] follow `shared/annotation-guide.md` one to one.

mod date;
mod graph;
mod money;
pub mod vocab;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use date::{IsoDate, When};
pub use graph::{DocumentMeta, KnowledgeGraph};
pub use money::Money;

/// Error returned when a name does not denote a known [`EntityKind`] or [`RelationKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {name:?}: expected one of {expected}")]
pub struct UnknownName {
    /// What was parsed ("entity type", "relation").
    pub what: &'static str,
    /// The offending text.
    pub name: String,
    /// The accepted names, comma-separated.
    pub expected: String,
}

macro_rules! name_enum {
    ($(#[$meta:meta])* $vis:vis enum $ty:ident ($what:literal) { $($(#[$vmeta:meta])* $var:ident => $name:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        $vis enum $ty { $($(#[$vmeta])* #[serde(rename = $name)] $var,)* }

        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$var,)*];

            /// The name used in the annotation guide, the ontology and every export.
            pub const fn as_str(self) -> &'static str {
                match self { $($ty::$var => $name,)* }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok($ty::$var),)*
                    _ => Err(UnknownName {
                        what: $what,
                        name: s.to_owned(),
                        expected: [$($name,)*].join(", "),
                    }),
                }
            }
        }
    };
}

name_enum! {
    /// The type of an entity, as in the annotation guide's "Entities" section.
    pub enum EntityKind ("entity type") {
        /// A sovereign state (or territory with an ISO 3166 code).
        Country => "Country",
        /// A world region: Sahel, West Africa, Central Asia, Western Balkans.
        Region => "Region",
        /// The EU itself, its institutions, committees, working parties, presidencies.
        EUInstitution => "EUInstitution",
        /// A decentralised EU agency: Frontex, EUAA, Europol.
        EUAgency => "EUAgency",
        /// A CSDP or EU mission: EUBAM Libya, EUCAP Sahel Niger.
        Mission => "Mission",
        /// IOM, UNHCR, ICMPD, the African Union.
        InternationalOrganisation => "InternationalOrganisation",
        /// A named state body or armed force: Libyan Coast Guard.
        Authority => "Authority",
        /// A private company.
        Company => "Company",
        /// Civil society, research institutes, rescue NGOs.
        NGO => "NGO",
        /// A named person.
        Person => "Person",
        /// A funded project, fund or package.
        Programme => "Programme",
        /// A named agreement, partnership or memorandum.
        Agreement => "Agreement",
    }
}

name_enum! {
    /// The type of a relation, as in the annotation guide's "Relations" table.
    pub enum RelationKind ("relation") {
        /// Subject gives or commits money to the object.
        Funds => "funds",
        /// Stated cooperation, partnership or dialogue (symmetric).
        CooperatesWith => "cooperatesWith",
        /// Subject sends staff, an officer or a mission to the object place.
        DeploysTo => "deploysTo",
        /// Non-money support: training, equipment, capacity building, advice.
        Supports => "supports",
        /// Subject negotiates, signs or works on an agreement with the object.
        NegotiatesAgreementWith => "negotiatesAgreementWith",
        /// Subject imposes or proposes restrictive measures on the object.
        ImposesMeasureOn => "imposesMeasureOn",
        /// Subject deports, expels or returns people to the object country.
        ReturnsMigrantsTo => "returnsMigrantsTo",
        /// Subject operates or is active in the object place.
        OperatesIn => "operatesIn",
        /// Subject and object meet (symmetric).
        MeetsWith => "meetsWith",
        /// Subject gives a presentation, paper or briefing to the object body.
        PresentsTo => "presentsTo",
        /// A body or meeting discusses the object.
        Discusses => "discusses",
        /// Subject holds contracts from the object.
        ContractedBy => "contractedBy",
        /// Subject belongs to, chairs or sits on the object body.
        MemberOf => "memberOf",
        /// Subject takes part in a meeting held by the object body.
        ParticipatesIn => "participatesIn",
        /// Subject attacks, fires on, detains or abuses the object.
        UsesForceAgainst => "usesForceAgainst",
        /// Organisational part or location containment.
        PartOf => "partOf",
    }
}

impl RelationKind {
    /// Whether the relation holds in both directions (`cooperatesWith`, `meetsWith`).
    ///
    /// Symmetric relations are stored once, with the subject the smaller
    /// [`EntityId`], so that "A with B" and "B with A" are the same statement.
    pub const fn is_symmetric(self) -> bool {
        match self {
            RelationKind::CooperatesWith | RelationKind::MeetsWith => true,
            RelationKind::Funds
            | RelationKind::DeploysTo
            | RelationKind::Supports
            | RelationKind::NegotiatesAgreementWith
            | RelationKind::ImposesMeasureOn
            | RelationKind::ReturnsMigrantsTo
            | RelationKind::OperatesIn
            | RelationKind::PresentsTo
            | RelationKind::Discusses
            | RelationKind::ContractedBy
            | RelationKind::MemberOf
            | RelationKind::ParticipatesIn
            | RelationKind::UsesForceAgainst
            | RelationKind::PartOf => false,
        }
    }
}

/// The stable identity of an entity: a lowercase ASCII slug of its canonical name
/// (`"European Union"` → `european-union`, `"Altaï Consulting"` → `altai-consulting`).
///
/// The same canonical name gives the same id in every run and corpus; the entity
/// IRI is derived from it, never from a counter.
///
/// The slug is shared, not copied: every mention and relation names its
/// entities, and cloning an id is a reference count, not an allocation.
/// (De)serialised as the plain slug string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(std::sync::Arc<str>);

impl Serialize for EntityId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for EntityId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| EntityId(s.into()))
    }
}

impl EntityId {
    /// Derives the id from a canonical name.
    ///
    /// # Example
    /// ```
    /// use migraph_core::model::EntityId;
    /// assert_eq!(EntityId::from_name("Altaï Consulting").as_str(), "altai-consulting");
    /// assert_eq!(EntityId::from_name("EU-Egypt  Subcommittee").as_str(), "eu-egypt-subcommittee");
    /// ```
    pub fn from_name(name: &str) -> EntityId {
        let mut slug = String::with_capacity(name.len());
        let mut dash = false;
        for c in fold_accents(name).chars() {
            if c.is_ascii_alphanumeric() {
                if dash && !slug.is_empty() {
                    slug.push('-');
                }
                dash = false;
                slug.push(c.to_ascii_lowercase());
            } else {
                dash = true;
            }
        }
        if slug.is_empty() {
            slug.push_str("unnamed");
        }
        EntityId(slug.into())
    }

    /// Wraps an already computed slug (as read back from a store IRI).
    pub fn from_slug(slug: &str) -> EntityId {
        EntityId(slug.into())
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Folds Latin letters with diacritics to their ASCII base (`ï` → `i`, `ß` → `ss`).
///
/// Characters outside the table are kept as they are.
///
/// # Example
/// ```
/// assert_eq!(migraph_core::model::fold_accents("Altaï Türkiye"), "Altai Turkiye");
/// ```
pub fn fold_accents(text: &str) -> String {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđ", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşšș", "s"),
        ("ţťŧț", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("ÇĆĈĊČ", "C"),
        ("ĎĐ", "D"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("ĜĞĠĢ", "G"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ĹĻĽĿŁ", "L"),
        ("ÑŃŅŇ", "N"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("ŔŖŘ", "R"),
        ("ŚŜŞŠȘ", "S"),
        ("ŢŤŦȚ", "T"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ÝŸŶ", "Y"),
        ("ŹŻŽ", "Z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("Æ", "AE"),
        ("œ", "oe"),
        ("Œ", "OE"),
    ];
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        match TABLE.iter().find(|(set, _)| set.contains(c)) {
            Some((_, base)) => out.push_str(base),
            None => out.push(c),
        }
    }
    out
}

/// A known or discovered entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id, derived from `name`.
    pub id: EntityId,
    /// Canonical English name ("European Union", "Frontex", "Egypt").
    pub name: String,
    /// The one type of the entity.
    pub kind: EntityKind,
    /// Wikidata item id (`Q458`) when known for sure.
    pub wikidata: Option<String>,
    /// ISO 3166-1 alpha-2 code, countries only.
    pub iso2: Option<String>,
    /// ISO 3166-1 alpha-3 code, countries only.
    pub iso3: Option<String>,
    /// Other names the entity goes by (gazetteer aliases, acronyms seen in text).
    pub aliases: Vec<String>,
    /// Where the entity came from: `gazetteer:<file>` or `discovered:<rule>`.
    pub origin: String,
}

impl Entity {
    /// An entity with only a name and a type; the id is derived from the name.
    pub fn new(name: &str, kind: EntityKind, origin: &str) -> Entity {
        Entity {
            id: EntityId::from_name(name),
            name: name.to_owned(),
            kind,
            wikidata: None,
            iso2: None,
            iso3: None,
            aliases: Vec::new(),
            origin: origin.to_owned(),
        }
    }
}

/// Where a relation was read: the document, article, sentence, offsets and rule.
///
/// Offsets are byte offsets into the document's normalised text
/// ([`crate::ingest::Document::text`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// Document id: the file name (`000_4c29bab22beb8e5e.txt`).
    pub doc: String,
    /// Headline of the article (story) of the document that holds the sentence.
    pub article: Option<String>,
    /// The whole sentence.
    pub sentence: String,
    /// Byte offset of the sentence's start in the document text.
    pub sentence_start: usize,
    /// Byte offset one past the sentence's end.
    pub sentence_end: usize,
    /// The matched fragment that states the relation (a substring of the sentence).
    pub quote: String,
    /// Byte offset of the quote in the document text.
    pub quote_start: usize,
    /// Byte offset one past the quote's end.
    pub quote_end: usize,
    /// Id of the rule or pattern that produced the relation (`funds.money-to`).
    pub rule: String,
}

/// One extracted relation: a typed edge with optional money and date, and its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Subject entity.
    pub subject: EntityId,
    /// Relation type.
    pub kind: RelationKind,
    /// Object entity.
    pub object: EntityId,
    /// Amount of money, `funds` only.
    pub money: Option<Money>,
    /// When the relation holds, as precise as the text says.
    pub when: Option<When>,
    /// Provenance.
    pub evidence: Evidence,
}

impl Relation {
    /// The key that identifies "the same relation" in one document:
    /// (doc, subject, relation, object), with symmetric relations ordered.
    pub fn key(&self) -> (String, EntityId, RelationKind, EntityId) {
        let (s, o) = if self.kind.is_symmetric() && self.object < self.subject {
            (self.object.clone(), self.subject.clone())
        } else {
            (self.subject.clone(), self.object.clone())
        };
        (self.evidence.doc.clone(), s, self.kind, o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_kind_round_trips_names() {
        for kind in RelationKind::ALL {
            assert_eq!(kind.as_str().parse::<RelationKind>(), Ok(*kind));
        }
        assert_eq!(RelationKind::ALL.len(), 16);
        assert!("fund".parse::<RelationKind>().is_err());
    }

    #[test]
    fn entity_kind_round_trips_names() {
        for kind in EntityKind::ALL {
            assert_eq!(kind.as_str().parse::<EntityKind>(), Ok(*kind));
        }
    }

    #[test]
    fn entity_id_folds_accents_and_punctuation() {
        assert_eq!(EntityId::from_name("Türkiye").as_str(), "turkiye");
        assert_eq!(
            EntityId::from_name("Office of the UN (OHCHR)").as_str(),
            "office-of-the-un-ohchr"
        );
        assert_eq!(EntityId::from_name("  ").as_str(), "unnamed");
        assert_eq!(EntityId::from_name("Straße").as_str(), "strasse");
    }
}
