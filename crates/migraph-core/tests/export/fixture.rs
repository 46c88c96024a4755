//! The hand-built knowledge graph behind the export goldens.
//!
//! Names, amounts and quotes are invented for the tests (no bulletin text). The graph
//! covers what exporters must handle: symmetric relations stated in both directions,
//! EUR and USD amounts, every kind of `When`, repeated statements, undated ones,
//! quotes with `<&"'`, non-ASCII names and an entity that no relation touches.

use migraph_core::model::{
    DocumentMeta, Entity, EntityId, EntityKind, Evidence, IsoDate, KnowledgeGraph, Money, Relation,
    RelationKind, When,
};

fn date(s: &str) -> IsoDate {
    s.parse().expect("fixture dates are valid")
}

fn at(s: &str) -> Option<When> {
    Some(When::At { date: date(s) })
}

fn entity(
    name: &str,
    kind: EntityKind,
    wikidata: Option<&str>,
    iso: Option<(&str, &str)>,
) -> Entity {
    let mut e = Entity::new(name, kind, "gazetteer:fixture.tsv");
    e.wikidata = wikidata.map(str::to_owned);
    if let Some((iso2, iso3)) = iso {
        e.iso2 = Some(iso2.to_owned());
        e.iso3 = Some(iso3.to_owned());
    }
    e
}

/// One statement: subject, relation, object, money, date, document, offset, quote.
type Row<'a> =
    (&'a str, RelationKind, &'a str, Option<Money>, Option<When>, &'a str, usize, &'a str);

/// The fixture: 10 entities (one that no relation touches), 15 statements in 3
/// documents.
pub(crate) fn knowledge_graph() -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new();
    let entities = [
        entity("European Union", EntityKind::EUInstitution, Some("Q458"), None),
        entity("Frontex", EntityKind::EUAgency, None, None),
        entity("Mauritania", EntityKind::Country, Some("Q1025"), Some(("MR", "MRT"))),
        entity("Senegal", EntityKind::Country, Some("Q1041"), Some(("SN", "SEN"))),
        entity("Türkiye", EntityKind::Country, Some("Q43"), Some(("TR", "TUR"))),
        entity(
            "International Organization for Migration",
            EntityKind::InternationalOrganisation,
            None,
            None,
        ),
        entity("Sahel", EntityKind::Region, None, None),
        entity("Coastal Watch Unit", EntityKind::Authority, None, None),
        entity("Smith & Partners Consulting", EntityKind::Company, None, None),
        entity("Quiet Harbour Initiative", EntityKind::NGO, None, None),
    ];
    let mut entities = entities;
    entities[5].aliases.push("IOM".to_owned());
    entities[4].aliases.push("Turkey".to_owned());
    let usd = |amount| Some(Money { amount, currency: "USD".to_owned() });
    let rows: Vec<Row<'_>> = vec![
        (
            "European Union",
            RelationKind::Funds,
            "Mauritania",
            Some(Money::eur(210_000_000)),
            at("2024-03"),
            "bulletin-a.txt",
            120,
            "the Union pledged €210 million to Mauritania",
        ),
        (
            "European Union",
            RelationKind::Funds,
            "Mauritania",
            Some(Money::eur(50_000_000)),
            at("2024-03-07"),
            "bulletin-b.txt",
            40,
            "a further €50m for Nouakchott's \"border package\"",
        ),
        (
            "European Union",
            RelationKind::Funds,
            "International Organization for Migration",
            usd(15_000_000),
            Some(When::Between { start: date("2023"), end: date("2025") }),
            "bulletin-a.txt",
            300,
            "$15 million routed through IOM for 2023-2025",
        ),
        (
            "European Union",
            RelationKind::Funds,
            "Türkiye",
            Some(Money::eur(6_000_000_000)),
            at("2016"),
            "bulletin-c.txt",
            10,
            "the €6 billion facility for Türkiye",
        ),
        (
            "Frontex",
            RelationKind::DeploysTo,
            "Senegal",
            None,
            Some(When::Since { date: date("2022-06") }),
            "bulletin-a.txt",
            500,
            "Frontex officers stationed in Dakar since June 2022",
        ),
        (
            "Frontex",
            RelationKind::DeploysTo,
            "Senegal",
            None,
            at("2023-09"),
            "bulletin-b.txt",
            200,
            "a second Frontex team reached Senegal in September 2023",
        ),
        (
            "Frontex",
            RelationKind::CooperatesWith,
            "Coastal Watch Unit",
            None,
            Some(When::Until { date: date("2026") }),
            "bulletin-b.txt",
            400,
            "Frontex & the Coastal Watch Unit work together until 2026",
        ),
        (
            "Senegal",
            RelationKind::CooperatesWith,
            "Mauritania",
            None,
            at("2025"),
            "bulletin-b.txt",
            600,
            "Senegal and Mauritania agreed joint patrols in 2025",
        ),
        (
            "Mauritania",
            RelationKind::CooperatesWith,
            "Senegal",
            None,
            None,
            "bulletin-c.txt",
            300,
            "Nouakchott and Dakar keep cooperating",
        ),
        (
            "Senegal",
            RelationKind::MeetsWith,
            "Mauritania",
            None,
            at("2025-01-15"),
            "bulletin-c.txt",
            420,
            "ministers from both capitals met on 15 January 2025",
        ),
        (
            "Türkiye",
            RelationKind::NegotiatesAgreementWith,
            "European Union",
            None,
            Some(When::Between { start: date("2024-01"), end: date("2024-06") }),
            "bulletin-c.txt",
            700,
            "Ankara's talks with Brussels ran from January to June 2024",
        ),
        (
            "European Union",
            RelationKind::Supports,
            "Coastal Watch Unit",
            None,
            None,
            "bulletin-a.txt",
            800,
            "training for the unit's crews: 'radar < 5 nm' & \"night boarding\"",
        ),
        (
            "International Organization for Migration",
            RelationKind::OperatesIn,
            "Sahel",
            None,
            Some(When::Since { date: date("2019") }),
            "bulletin-a.txt",
            900,
            "IOM has run transit centres across the Sahel since 2019",
        ),
        (
            "Smith & Partners Consulting",
            RelationKind::ContractedBy,
            "European Union",
            None,
            at("2023"),
            "bulletin-c.txt",
            900,
            "Smith & Partners won a 2023 contract from the Commission",
        ),
        (
            "Mauritania",
            RelationKind::PartOf,
            "Sahel",
            None,
            None,
            "bulletin-a.txt",
            1000,
            "Mauritania, on the Sahel's western edge",
        ),
    ];
    for (s, kind, o, money, when, doc, offset, quote) in rows {
        g.relations.push(Relation {
            subject: EntityId::from_name(s),
            kind,
            object: EntityId::from_name(o),
            money,
            when,
            evidence: Evidence {
                doc: doc.to_owned(),
                article: Some("Fixture story".to_owned()),
                sentence: format!("{quote}."),
                sentence_start: offset,
                sentence_end: offset + quote.len() + 1,
                quote: quote.to_owned(),
                quote_start: offset,
                quote_end: offset + quote.len(),
                rule: format!("{kind}.fixture"),
            },
        });
    }
    for e in entities {
        g.entities.insert(e.id.clone(), e);
    }
    for (id, day) in [("bulletin-a.txt", 3), ("bulletin-b.txt", 10), ("bulletin-c.txt", 17)] {
        g.documents.insert(
            id.to_owned(),
            DocumentMeta {
                id: id.to_owned(),
                source: format!("fixtures/{id}"),
                title: Some(format!("Fixture bulletin {id}")),
                date: IsoDate::day(2025, 2, day),
                content_hash: "0".repeat(64),
                n_articles: 1,
                n_sentences: 10,
            },
        );
    }
    g.sort();
    g
}
