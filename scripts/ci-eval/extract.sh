#!/bin/sh
# extract.sh CLONES OUT: copy the workflow and action files of each
# repository of repos.tsv, at its recorded commit, from CLONES/<owner>+<name>
# (a clone, bare or not; `git clone --bare https://github.com/<owner>/<name>
# CLONES/<owner>+<name>` makes one) into OUT/<owner>+<name>/.
# Test data folders are left out: they hold fixtures, not the project's
# pipelines.
set -eu
clones=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
while IFS="$(printf '\t')" read -r repo commit; do
	name=$(echo "$repo" | tr / +)
	dir="$clones/$name"
	if [ -d "$dir/.git" ]; then dir="$dir/.git"; fi
	git --git-dir="$dir" ls-tree -r --name-only "$commit" |
		grep -E '(^|/)\.github/workflows/[^/]+\.ya?ml$|(^|/)action\.ya?ml$' |
		grep -v -E '(^|/)(test|tests|testdata|fixtures)/' |
		while read -r f; do
			mkdir -p "$out/$name/$(dirname "$f")"
			git --git-dir="$dir" show "$commit:$f" >"$out/$name/$f"
		done
done <"$here/repos.tsv"
