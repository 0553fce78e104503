#!/usr/bin/env bash
# The static checks `npm test` runs before the suites (also `npm run lint`): ESLint with the
# TypeScript rules, Prettier's layout, and the boundaries between folders (dependency-cruiser,
# rules in .dependency-cruiser.js). Each fails with the offending file and rule named.
set -euo pipefail
cd "$(dirname "$0")/.."
npx eslint --max-warnings 0 .
npx prettier --check --log-level warn .
npx depcruise apps libs workflows activities test bench scripts --config .dependency-cruiser.js --output-type err
