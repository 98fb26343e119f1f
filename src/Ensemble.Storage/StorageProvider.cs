namespace Ensemble.Storage;

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}
