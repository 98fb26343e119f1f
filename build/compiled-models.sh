#!/usr/bin/env bash
# Regenerates EF Core's compiled models (src/Ensemble.Storage/CompiledModels) after the model changes, for both
# providers. Run it after adding a migration; CompiledModelTests fails until it has been run.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf src/Ensemble.Storage/CompiledModels
for provider in Sqlite Postgres; do
  dotnet ef dbcontext optimize --project src/Ensemble.Storage --context "${provider}EnsembleDb" \
    -o "CompiledModels/$provider" -n "Ensemble.Storage.CompiledModels.$provider"
done
