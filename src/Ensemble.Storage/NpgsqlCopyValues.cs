using Npgsql;
using NpgsqlTypes;

namespace Ensemble.Storage;

/// <summary>Writes a value that may be missing into a PostgreSQL binary COPY row: the value, or NULL.</summary>
internal static class NpgsqlCopyValues
{
    public static Task WriteNullableAsync<T>(this NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    public static Task WriteNullableAsync(this NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);
}
