#!/usr/bin/env bash
# Trains the syntax model (tagger, lemmatizer, parser, labeller) on UD English EWT
# and writes data/parser.model; prints its scores on EWT dev and test (gold words).
#   scripts/train-parser.sh [UD_DIR]     (default ../shared/corpora/ud-english-ewt)
# Pure Rust, deterministic for a given treebank (the seed is fixed); about four
# minutes on two cores. Train on train, choose epochs on dev, report test.
set -euo pipefail
cd "$(dirname "$0")/.."
ud=${1:-../shared/corpora/ud-english-ewt}
: "${PRUNE:=2,6,4}" "${EPOCHS:=8,12,8,5}"
export PRUNE EPOCHS
cargo build --release --locked -p annals-core --example train_parser
target/release/examples/train_parser \
  "$ud/en_ewt-ud-train.conllu" "$ud/en_ewt-ud-dev.conllu" "$ud/en_ewt-ud-test.conllu" \
  data/parser.model
