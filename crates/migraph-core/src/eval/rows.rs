//! Gold-format rows: reading gold and prediction TSV files, turning extracted
//! relations into rows, and writing rows that `shared/tools/score.py` reads.
//!
//! The format is the annotation guide's: a header naming at least `subject`,
//! `relation` and `object` (usually `doc subject relation object amount_eur date
//! evidence`), one relation per line, tab-separated, no quoting. This module
//! keeps field values as written; normalisation is the scorer's business.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::EvalError;
use super::records::{Quoting, column_index, read_records, read_text};
use crate::model::{Entity, EntityId, Relation};

/// The header [`write_header`] writes, without the line break.
pub const HEADER: &str = "doc\tsubject\trelation\tobject\tamount_eur\tdate\tevidence";

/// One relation in the gold format, fields as written in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldRow {
    /// Document file name (a path is allowed; the scorer keeps its last component).
    pub doc: String,
    /// Subject entity name.
    pub subject: String,
    /// Relation name (`funds`, `cooperatesWith`…).
    pub relation: String,
    /// Object entity name.
    pub object: String,
    /// The `amount_eur` column: `200000000`, `50000000 USD` or empty.
    pub amount: String,
    /// The `date` column: `2025`, `2025-05-14`, `2024/2027` or empty.
    pub date: String,
    /// A verbatim fragment of the sentence that states the relation.
    pub evidence: String,
    /// The extraction rule that produced the row; empty for rows read from files.
    pub rule: String,
}

/// Reads a gold or prediction TSV file (see [`parse_rows`]).
pub fn read_rows(path: impl AsRef<Path>) -> Result<Vec<GoldRow>, EvalError> {
    let path = path.as_ref();
    let text = read_text(path)?;
    parse_rows(&text, &path.display().to_string())
}

/// Parses gold-format TSV text, as score.py's `csv.DictReader(delimiter='\t',
/// quoting=QUOTE_NONE)` reads it; `origin` names the input in errors.
///
/// The header must name `subject`, `relation` and `object`; `doc`,
/// `amount_eur`, `date` and `evidence` are optional and read as empty when
/// absent. Extra columns are ignored. A row too short to hold a required field is
/// an error (score.py stops on it too). Empty text, or a header alone, gives no
/// rows.
pub fn parse_rows(text: &str, origin: &str) -> Result<Vec<GoldRow>, EvalError> {
    let mut records = read_records(text, Quoting::None).into_iter();
    let Some((_, header)) = records.next() else { return Ok(Vec::new()) };
    let required = |column: &'static str| {
        column_index(&header, column)
            .ok_or_else(|| EvalError::MissingColumn { origin: origin.to_owned(), column })
    };
    let (subject, relation, object) =
        (required("subject")?, required("relation")?, required("object")?);
    let optional = |column: &str| column_index(&header, column);
    let (doc, amount, date, evidence) =
        (optional("doc"), optional("amount_eur"), optional("date"), optional("evidence"));
    let mut rows = Vec::new();
    for (line, fields) in records {
        let need = |idx: usize, column: &'static str| {
            fields.get(idx).cloned().ok_or_else(|| EvalError::ShortRow {
                origin: origin.to_owned(),
                line,
                column,
            })
        };
        let maybe =
            |idx: Option<usize>| idx.and_then(|i| fields.get(i)).cloned().unwrap_or_default();
        rows.push(GoldRow {
            doc: maybe(doc),
            subject: need(subject, "subject")?,
            relation: need(relation, "relation")?,
            object: need(object, "object")?,
            amount: maybe(amount),
            date: maybe(date),
            evidence: maybe(evidence),
            rule: String::new(),
        });
    }
    Ok(rows)
}

/// Turns extracted relations into gold-format rows, in the given order.
///
/// Entity names come from `entities` (the extraction's entity list); an id
/// that is not there is written as its slug. The evidence is the relation's
/// quote, or its sentence when the quote is empty.
pub fn relations_to_rows(relations: &[Relation], entities: &[Entity]) -> Vec<GoldRow> {
    let names: HashMap<&EntityId, &str> =
        entities.iter().map(|e| (&e.id, e.name.as_str())).collect();
    let name = |id: &EntityId| names.get(id).copied().unwrap_or(id.as_str()).to_owned();
    relations
        .iter()
        .map(|r| GoldRow {
            doc: r.evidence.doc.clone(),
            subject: name(&r.subject),
            relation: r.kind.as_str().to_owned(),
            object: name(&r.object),
            amount: r.money.as_ref().map(|m| m.to_gold()).unwrap_or_default(),
            date: r.when.map(|w| w.to_gold()).unwrap_or_default(),
            evidence: if r.evidence.quote.is_empty() {
                r.evidence.sentence.clone()
            } else {
                r.evidence.quote.clone()
            },
            rule: r.evidence.rule.clone(),
        })
        .collect()
}

/// Writes the gold header line ([`HEADER`]).
pub fn write_header(mut w: impl Write) -> io::Result<()> {
    w.write_all(HEADER.as_bytes())?;
    w.write_all(b"\n")
}

/// Writes rows in the gold format, without a header (see [`write_header`]).
///
/// Tabs and line breaks inside fields become spaces, since the format has no
/// quoting. With `explain`, an eighth column holds the rule id; it has no
/// header name and score.py ignores it.
pub fn write_rows(mut w: impl Write, rows: &[GoldRow], explain: bool) -> io::Result<()> {
    for row in rows {
        let fields = [
            &row.doc,
            &row.subject,
            &row.relation,
            &row.object,
            &row.amount,
            &row.date,
            &row.evidence,
        ];
        let mut line = fields.iter().map(|f| clean_field(f)).collect::<Vec<_>>().join("\t");
        if explain {
            line.push('\t');
            line.push_str(&clean_field(&row.rule));
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// A field with tabs and line breaks replaced by spaces.
fn clean_field(field: &str) -> String {
    field.replace(['\t', '\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, IsoDate, Money, RelationKind, When};

    #[test]
    fn parse_rows_reads_columns_by_name() {
        let text = "subject\tobject\trelation\tdoc\tnote\nEU\tEgypt\tfunds\tdocs/a.txt\tx\textra\n";
        let rows = parse_rows(text, "t.tsv").expect("valid rows");
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].subject.as_str(), rows[0].object.as_str()), ("EU", "Egypt"));
        assert_eq!((rows[0].doc.as_str(), rows[0].amount.as_str()), ("docs/a.txt", ""));
    }

    #[test]
    fn parse_rows_reports_missing_columns_and_short_rows() {
        let err = parse_rows("doc\tsubject\tobject\n", "g.tsv").expect_err("no relation column");
        assert_eq!(err.to_string(), "g.tsv: missing column \"relation\" in the header");
        let err = parse_rows("subject\trelation\tobject\nA\tfunds\n", "g.tsv").expect_err("short");
        assert_eq!(err.to_string(), "g.tsv:2: the row has no \"object\" field");
        assert_eq!(parse_rows("", "e.tsv").map(|r| r.len()).ok(), Some(0));
    }

    #[test]
    fn write_rows_round_trips_through_parse_rows() {
        let row = GoldRow {
            doc: "a.txt".into(),
            subject: "European Union".into(),
            relation: "funds".into(),
            object: "Egypt".into(),
            amount: "50000000 USD".into(),
            date: "2024/2027".into(),
            evidence: "line\tone\nline two".into(),
            rule: "funds.money-to".into(),
        };
        let mut out = Vec::new();
        write_header(&mut out).expect("write to memory");
        write_rows(&mut out, std::slice::from_ref(&row), true).expect("write to memory");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.ends_with("\tline one line two\tfunds.money-to\n"), "{text}");
        let back = parse_rows(&text, "mem").expect("valid rows");
        let want = GoldRow { evidence: "line one line two".into(), rule: String::new(), ..row };
        assert_eq!(back, vec![want]);
    }

    #[test]
    fn relations_to_rows_names_entities_and_formats_columns() {
        let eu = Entity::new("European Union", crate::model::EntityKind::EUInstitution, "test");
        let relation = Relation {
            subject: eu.id.clone(),
            kind: RelationKind::Funds,
            object: EntityId::from_name("Egypt"),
            money: Some(Money::eur(200_000_000)),
            when: Some(When::Between { start: IsoDate::year(2024), end: IsoDate::year(2027) }),
            evidence: Evidence {
                doc: "a.txt".into(),
                article: None,
                sentence: "The whole sentence.".into(),
                sentence_start: 0,
                sentence_end: 19,
                quote: String::new(),
                quote_start: 0,
                quote_end: 0,
                rule: "r".into(),
            },
        };
        let rows = relations_to_rows(&[relation], &[eu]);
        assert_eq!(rows[0].subject, "European Union");
        assert_eq!(rows[0].object, "egypt");
        assert_eq!((rows[0].amount.as_str(), rows[0].date.as_str()), ("200000000", "2024/2027"));
        assert_eq!(rows[0].evidence, "The whole sentence.");
    }
}
