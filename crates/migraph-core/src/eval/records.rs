//! A tab-separated record reader that splits lines and fields the way Python's
//! `csv` module does for score.py's inputs.
//!
//! Gold and prediction files are read with `quoting=csv.QUOTE_NONE` (quotes are
//! ordinary characters), alias files with the default minimal quoting (a field
//! that starts with `"` runs to the closing quote, `""` inside it is one quote,
//! and it may span lines). Records end at `\n`, `\r\n` or `\r`; empty lines are
//! skipped. This module only splits text; it knows nothing of columns' meaning.

use std::path::Path;

use super::EvalError;

/// How quotes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quoting {
    /// `csv.QUOTE_NONE`: a quote is an ordinary character.
    None,
    /// `csv.QUOTE_MINIMAL` when reading: quoted fields are unquoted.
    Minimal,
}

/// Splits `text` into records of tab-separated fields, each with the 1-based
/// line it starts on. A leading byte-order mark is ignored.
pub(super) fn read_records(text: &str, quoting: Quoting) -> Vec<(usize, Vec<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    // Whether the current record has any character at all (a blank line has none).
    let mut started = false;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '\t' => {
                fields.push(std::mem::take(&mut field));
                started = true;
                at_field_start = true;
            }
            '\n' | '\r' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if started {
                    fields.push(std::mem::take(&mut field));
                    records.push((record_line, std::mem::take(&mut fields)));
                }
                started = false;
                at_field_start = true;
                line += 1;
                record_line = line;
            }
            '"' if quoting == Quoting::Minimal && at_field_start => {
                in_quotes = true;
                started = true;
                at_field_start = false;
            }
            c => {
                field.push(c);
                started = true;
                at_field_start = false;
            }
        }
    }
    if started {
        fields.push(field);
        records.push((record_line, fields));
    }
    records
}

/// The index of column `name` in a header; the last one when the header repeats
/// it (a Python dict built from the header keeps the last).
pub(super) fn column_index(header: &[String], name: &str) -> Option<usize> {
    header.iter().rposition(|h| h == name)
}

/// Reads a UTF-8 text file.
pub(super) fn read_text(path: &Path) -> Result<String, EvalError> {
    let bytes =
        std::fs::read(path).map_err(|cause| EvalError::Read { path: path.to_path_buf(), cause })?;
    String::from_utf8(bytes).map_err(|_| EvalError::NotUtf8 { path: path.to_path_buf() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str, quoting: Quoting) -> Vec<(usize, Vec<String>)> {
        read_records(text, quoting)
    }

    #[test]
    fn read_records_splits_lines_and_skips_blank_ones() {
        let got = fields("\u{feff}a\tb\r\n\n c\t\r\nd", Quoting::None);
        let want: Vec<(usize, Vec<String>)> = vec![
            (1, vec!["a".into(), "b".into()]),
            (3, vec![" c".into(), String::new()]),
            (4, vec!["d".into()]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn read_records_keeps_quotes_without_quoting() {
        let got = fields("\"a\tb\"\n", Quoting::None);
        assert_eq!(got, vec![(1, vec!["\"a".to_owned(), "b\"".to_owned()])]);
    }

    #[test]
    fn read_records_unquotes_minimal_fields_across_lines() {
        let got = fields("\"a\tb\"\"\nc\"x\ty\"z\nnext", Quoting::Minimal);
        let want: Vec<(usize, Vec<String>)> =
            vec![(1, vec!["a\tb\"\ncx".into(), "y\"z".into()]), (3, vec!["next".into()])];
        assert_eq!(got, want);
    }

    #[test]
    fn column_index_takes_the_last_duplicate() {
        let header = vec!["a".to_owned(), "b".to_owned(), "a".to_owned()];
        assert_eq!(column_index(&header, "a"), Some(2));
        assert_eq!(column_index(&header, "c"), None);
    }
}
