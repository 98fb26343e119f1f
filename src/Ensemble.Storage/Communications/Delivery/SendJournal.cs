using System.Globalization;
using System.Text;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// The sender's commit points, one file per sending process. Just before the last byte of a message goes to the mail
/// server, its outbox id is appended here; the database learns it was sent a moment later, in a batch. A process
/// killed in between leaves the id in its journal, and whoever recovers the journal marks the message sent instead
/// of sending it again. A plain write (no fsync) is enough: a killed process's writes are in the operating system's
/// cache and survive it; only a machine crash could lose the last entries (see docs/communications.md).
/// </summary>
/// <remarks>
/// The owning process holds its file open with a lock; a file nobody holds belongs to a process that has died, and
/// is recovered and deleted by the next sender to look. Only sequential writes from one sending loop reach it.
/// </remarks>
public sealed class SendJournal : IDisposable
{
    private const string Suffix = ".journal";
    private readonly FileStream file;

    private SendJournal(string directory, string owner, FileStream file)
    {
        Directory = directory;
        Owner = owner;
        this.file = file;
    }

    public string Directory { get; }

    /// <summary>This process's claim name: claimed outbox rows carry it, so a dead owner's claims can be given back at once.</summary>
    public string Owner { get; }

    /// <summary>Opens a new journal for this process in <paramref name="directory"/>, named after <paramref name="node"/>.</summary>
    public static SendJournal Open(string directory, string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        System.IO.Directory.CreateDirectory(directory);
        var owner = $"{Sanitise(node)}-{Guid.NewGuid():N}";
        var path = Path.Combine(directory, owner + Suffix);

        // FileShare.Read takes a shared lock on Unix: recovery's exclusive open fails while this process lives.
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
        return new SendJournal(directory, owner, stream);
    }

    /// <summary>Records that message <paramref name="outboxId"/> is about to be handed over for good.</summary>
    public void Record(long outboxId)
    {
        var line = Encoding.ASCII.GetBytes(outboxId.ToString(CultureInfo.InvariantCulture) + "\n");
        file.Write(line);

        // Into the operating system's cache now, not at the next buffer fill: that is what survives a kill.
        file.Flush(flushToDisk: false);
    }

    /// <summary>Empties the journal once everything recorded in it is settled in the database.</summary>
    public void Clear()
    {
        file.SetLength(0);
        file.Position = 0;
    }

    /// <summary>
    /// Reads the journals of dead senders in <paramref name="directory"/>: their owner names and the ids they had
    /// committed. Journals of live processes are left alone. Call <see cref="Forget"/> once the ids are settled.
    /// </summary>
    public static IReadOnlyList<OrphanJournal> FindOrphans(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        var orphans = new List<OrphanJournal>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + Suffix))
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue; // its owner is alive, or another recoverer has it right now
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            using (stream)
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var lines = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Split('\n');

                // Every line but the last ends in a newline and is a whole commit point. The last is empty, or torn by a
                // kill mid-write: then the final byte of that message was never sent, because it goes out only after
                // the write returns.
                var ids = lines[..^1]
                    .Select(l => long.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
                    .Where(id => id > 0)
                    .ToList();
                orphans.Add(new OrphanJournal(path, Path.GetFileNameWithoutExtension(path), ids));
            }
        }

        return orphans;
    }

    /// <summary>Deletes a recovered journal once its ids are settled in the database.</summary>
    public static void Forget(OrphanJournal orphan)
    {
        ArgumentNullException.ThrowIfNull(orphan);
        File.Delete(orphan.Path);
    }

    public void Dispose()
    {
        var path = file.Name;
        file.Dispose();

        // A clean stop: everything recorded here was also marked sent before the sender let go of the journal.
        File.Delete(path);
    }

    private static string Sanitise(string node)
    {
        var chars = node.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        var text = new string(chars);
        return text.Length > 60 ? text[..60] : text;
    }
}

/// <summary>A dead sender's journal: the claim name its rows carry and the messages it had committed.</summary>
public sealed record OrphanJournal(string Path, string Owner, IReadOnlyList<long> CommittedIds);
