//! Eval: score extracted relations against gold TSV files, as shared/tools/score.py does.
