#!/usr/bin/env bash
# Fails when a C++ file in the repository is not formatted as .clang-format
# says (Debian 12's clang-format 14). scripts/test.sh runs it first.
# To fix: git ls-files '*.h' '*.cpp' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null 2>&1; then
    echo "error: clang-format is not installed (scripts/deps.sh installs it)" >&2
    exit 1
fi
unformatted=()
while IFS= read -r file; do
    if ! clang-format --dry-run --Werror "$file" >/dev/null 2>&1; then
        unformatted+=("$file")
    fi
done < <(git ls-files '*.h' '*.cpp')
if [ ${#unformatted[@]} -gt 0 ]; then
    echo "error: ${#unformatted[@]} file(s) are not formatted with the repository's .clang-format:" >&2
    printf '    %s\n' "${unformatted[@]}" >&2
    echo "Fix with: git ls-files '*.h' '*.cpp' | xargs clang-format -i" >&2
    exit 1
fi
echo "==> Formatting: all $(git ls-files '*.h' '*.cpp' | wc -l) C++ files follow .clang-format"
