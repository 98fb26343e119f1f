using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Ensemble.Storage;

/// <summary>
/// A compiled query (or set of them), compiled once for each model it runs on. A compiled query belongs to the model it
/// first ran against, and SQLite and PostgreSQL each have their own, so one process that uses both needs one of each.
/// </summary>
internal sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> _byModel = new();

    public TQuery For(EnsembleDb db) => _byModel.GetOrAdd(db.Model, _ => compile());
}
