//! Tests of the scorer: hand-made gold and predictions with known numbers, and a
//! cross-check against `shared/tools/score.py` on perturbed copies of the shared
//! gold files (skipped, with a message, when Python or `shared/` is missing).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

const GOLD: &str = "doc\tsubject\trelation\tobject\tamount_eur\tdate\tevidence
a.txt\tEuropean Union\tfunds\tEgypt\t200000000\t2024\tx
a.txt\tEuropean Union\tcooperatesWith\tMorocco\t\t2023-10\tx
a.txt\tFrontex\tdeploysTo\tNiger\t\t\tx
a.txt\tFrontex\tdeploysTo\tNiger\t\t2022\trestated, ignored
b.txt\tItaly\tmeetsWith\tAlbania\t\t2023-11\tx
b.txt\tEuropean Union\tfunds\tTürkiye\t\t\tx
b.txt\tEuropean Union\tfunds\tTürkiye\t6000000000\t2016\tlater row with an amount wins
";

const PRED: &str = "doc\tsubject\trelation\tobject\tamount_eur\tdate\tevidence
corpus/a.txt\tthe EU\tfunds\tEgypt\t200000000 EUR\t2025\tx
a.txt\tKingdom of Morocco\tcooperatesWith\tEU\t\t2023-10\tx
a.txt\tFrontex\tdeploysTo\tMali\t\t\tx
b.txt\tAlbania\tmeetsWith\tItaly\t\t2023-11\tx
b.txt\tEU\tfunds\tTurkiye\t6000000000\t2016\tx
c.txt\tEU\tfunds\tChad\t\t\tnot a gold document, not counted
";

const ALIASES: &str = "canonical\talias\nEuropean Union\tEU\nMorocco\tKingdom of Morocco\n";

fn example() -> Report {
    let gold = parse_rows(GOLD, "gold").expect("valid gold");
    let pred = parse_rows(PRED, "pred").expect("valid pred");
    let aliases = Aliases::parse(ALIASES, "aliases").expect("valid aliases");
    score(&gold, &pred, &aliases, None)
}

#[test]
fn score_counts_matches_per_relation() {
    let report = example();
    let c = |r: &str| report.per_relation.get(r).copied().unwrap_or_default();
    assert_eq!(c("funds"), Counts { tp: 2, pred: 2, gold: 2 });
    assert_eq!(c("cooperatesWith"), Counts { tp: 1, pred: 1, gold: 1 });
    assert_eq!(c("deploysTo"), Counts { tp: 0, pred: 1, gold: 1 });
    assert_eq!(c("meetsWith"), Counts { tp: 1, pred: 1, gold: 1 });
    assert_eq!(report.all, Counts { tp: 4, pred: 5, gold: 5 });
    // Amounts compare on the first token; "2024" vs "2025" is the one wrong date.
    assert_eq!(report.amounts_right, (2, 2));
    assert_eq!(report.dates_right, (3, 4));
    assert!((report.micro_f1() - 0.8).abs() < 1e-12);
}

#[test]
fn score_lists_missed_and_spurious_keys() {
    let report = example();
    let key = |doc: &str, s: &str, r: &str, o: &str| Key {
        doc: doc.into(),
        subject: s.into(),
        relation: r.into(),
        object: o.into(),
    };
    assert_eq!(report.missed, vec![key("a.txt", "frontex", "deploysTo", "niger")]);
    assert_eq!(report.spurious, vec![key("a.txt", "frontex", "deploysTo", "mali")]);
}

#[test]
fn score_limits_documents_when_asked() {
    let gold = parse_rows(GOLD, "gold").expect("valid gold");
    let pred = parse_rows(PRED, "pred").expect("valid pred");
    let aliases = Aliases::parse(ALIASES, "aliases").expect("valid aliases");
    let docs: BTreeSet<String> = ["b.txt".to_owned(), "c.txt".to_owned()].into();
    let report = score(&gold, &pred, &aliases, Some(&docs));
    assert_eq!(report.all, Counts { tp: 2, pred: 3, gold: 2 });
    // An empty gold lets every prediction count, as score.py does.
    let report = score(&[], &pred, &aliases, None);
    assert_eq!(report.all, Counts { tp: 0, pred: 6, gold: 0 });
    assert_eq!(report.micro_f1(), 0.0);
}

#[test]
fn render_matches_score_py_layout() {
    let want = "\
relation                     tp  pred  gold      P      R     F1
cooperatesWith                1     1     1  1.000  1.000  1.000
deploysTo                     0     1     1  0.000  0.000  0.000
funds                         2     2     2  1.000  1.000  1.000
meetsWith                     1     1     1  1.000  1.000  1.000
ALL                           4     5     5  0.800  0.800  0.800
amounts right on matched relations: 2/2; dates: 3/4
MISSED  \ta.txt\tfrontex\tdeploysTo\tniger
SPURIOUS\ta.txt\tfrontex\tdeploysTo\tmali
micro-F1 0.800
";
    assert_eq!(example().render(true), want);
    assert!(!example().render(false).contains("MISSED"));
}

/// `shared/` beside the repository (or `$MIGRAPH_SHARED`), when it holds the
/// scorer and the gold files.
fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MIGRAPH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if dir.join("tools/score.py").is_file() && dir.join("gold/seed.tsv").is_file() {
        return Some(dir);
    }
    eprintln!("skipping: {} has no tools/score.py and gold/seed.tsv", dir.display());
    None
}

/// Whether `python3` runs.
fn have_python() -> bool {
    let ok = Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: python3 is not available to run score.py");
    }
    ok
}

/// The gold rows of `shared/`: the seed gold and every dev gold file.
fn shared_gold(shared: &Path) -> Vec<GoldRow> {
    let mut paths = vec![shared.join("gold/seed.tsv")];
    let mut dev: Vec<PathBuf> = std::fs::read_dir(shared.join("dev/gold"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    dev.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.ends_with(".tsv") && !matches!(name, "aliases.tsv" | "entities.tsv")
    });
    dev.sort();
    paths.extend(dev);
    paths.iter().flat_map(|p| read_rows(p).expect("shared gold files parse")).collect()
}

/// A deterministic perturbation of the gold: rows dropped, amounts and dates
/// altered, symmetric relations swapped, names re-cased and re-spelt, spurious
/// and duplicate rows added.
fn perturb(gold: &[GoldRow]) -> Vec<GoldRow> {
    let mut pred = Vec::new();
    let mut n_amounts = 0;
    for (idx, row) in gold.iter().enumerate() {
        let mut row = row.clone();
        // Every other amount is wrong; the rest gain a currency code, which the
        // first-token rule ignores.
        if !row.amount.is_empty() {
            n_amounts += 1;
            row.amount = if n_amounts % 2 == 0 {
                format!("{}0", row.amount)
            } else {
                format!("{} EUR", row.amount)
            };
        }
        match idx % 9 {
            0 => continue,
            1 => row.amount = "1000 USD".into(),
            2 => row.date = if row.date.is_empty() { "2020".into() } else { String::new() },
            3 => std::mem::swap(&mut row.subject, &mut row.object),
            4 => row.subject = format!("The {}", row.subject.to_uppercase()),
            5 => row.doc = format!("some/dir/{}", row.doc),
            6 => {
                let mut dup = row.clone();
                dup.amount = "12345".into();
                pred.push(row.clone());
                row = dup;
            }
            7 => row.object = format!("{} Ltd", row.object),
            _ => {}
        }
        pred.push(row);
    }
    pred.push(GoldRow {
        doc: "not-in-gold.txt".into(),
        subject: "Nobody".into(),
        relation: "funds".into(),
        object: "Nowhere".into(),
        ..GoldRow::default()
    });
    pred
}

fn write_tsv(path: &Path, rows: &[GoldRow]) {
    let mut out = Vec::new();
    write_header(&mut out).expect("write to memory");
    write_rows(&mut out, rows, false).expect("write to memory");
    std::fs::write(path, out).expect("write temp file");
}

#[test]
fn score_agrees_with_score_py_on_shared_gold() {
    let Some(shared) = shared_dir() else { return };
    if !have_python() {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let gold = shared_gold(&shared);
    assert!(gold.len() > 50, "expected the seed and dev gold, got {} rows", gold.len());
    let pred = perturb(&gold);
    let (gold_path, pred_path) = (tmp.path().join("gold.tsv"), tmp.path().join("pred.tsv"));
    write_tsv(&gold_path, &gold);
    write_tsv(&pred_path, &pred);
    let alias_paths = [shared.join("gold/aliases.tsv"), shared.join("dev/gold/aliases.tsv")];
    let aliases = read_aliases(&alias_paths).expect("shared aliases parse");
    let some_docs: BTreeSet<String> = gold
        .iter()
        .map(|r| r.doc.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .step_by(2)
        .collect();

    for docs in [None, Some(&some_docs)] {
        let mut cmd = Command::new("python3");
        cmd.arg(shared.join("tools/score.py")).arg(&gold_path).arg(&pred_path);
        for p in &alias_paths {
            cmd.arg("--aliases").arg(p);
        }
        if let Some(d) = docs {
            cmd.arg("--docs").arg(d.iter().cloned().collect::<Vec<_>>().join(","));
        }
        cmd.arg("--verbose");
        let out = cmd.output().expect("run score.py");
        assert!(out.status.success(), "score.py failed: {}", String::from_utf8_lossy(&out.stderr));
        let python = String::from_utf8(out.stdout).expect("score.py prints UTF-8");
        let ours = score(
            &read_rows(&gold_path).expect("gold"),
            &read_rows(&pred_path).expect("pred"),
            &aliases,
            docs,
        );
        assert_eq!(ours.render(true), python, "docs filter: {docs:?}");
        // The perturbation must leave something to get right and something wrong.
        assert!(ours.all.tp > 0 && !ours.missed.is_empty() && !ours.spurious.is_empty());
        assert!(
            ours.amounts_right.0 < ours.amounts_right.1 && ours.dates_right.0 < ours.dates_right.1
        );
    }
}

#[test]
fn norm_agrees_with_score_py_on_tricky_names() {
    let Some(shared) = shared_dir() else { return };
    if !have_python() {
        return;
    }
    let names = [
        "Altaï Consulting",
        "The Office of the UN’s High Commissioner",
        "Türkiye",
        "Straße Øresund Łódź Đakovo",
        "ﬁnance ＥＵ x² ½ №5 ™",
        "İstanbul IJssel ĳ",
        "Ελλάδα Ἀθῆναι",
        "Йошкар-Ола Ёлка",
        "Sea-Watch e.V.",
        "the",
        "THE   the",
        "Côte d'Ivoire",
        "Société Générale – ‘Bank’",
        "e\u{301}te\u{301} n\u{303}",
        "\u{a0}non\u{2009}breaking\u{202f}spaces\u{3000}",
        "ΣΊΣΥΦΟΣ",
        "日本 한국어 العربية",
    ];
    let script = format!(
        "import sys; sys.path.insert(0, {:?}); from score import norm\n\
         for line in sys.stdin.read().split('\\n'): print(norm(line))",
        shared.join("tools").display().to_string()
    );
    let mut child = Command::new("python3")
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start python3");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("piped stdin");
        stdin.write_all(names.join("\n").as_bytes()).expect("write names");
    }
    let out = child.wait_with_output().expect("python3 output");
    assert!(out.status.success(), "python3 failed: {}", String::from_utf8_lossy(&out.stderr));
    let python = String::from_utf8(out.stdout).expect("UTF-8");
    let ours: String = names.iter().map(|n| norm(n) + "\n").collect();
    assert_eq!(ours, python);
}
