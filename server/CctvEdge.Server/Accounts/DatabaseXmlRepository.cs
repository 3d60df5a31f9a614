using System.Xml.Linq;
using CctvEdge.Server.Storage.Database;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// The Data Protection key ring in the server database (<c>data_protection_keys</c>), shaped as EF Core's
/// DbContextXmlRepository: every replica over one database reads and writes the same keys, so a sign-in cookie, an
/// antiforgery token or a channel secret protected by one replica is read by any other.
/// Keys at rest: as before, when they were files in the data directory's <c>keys</c> folder, no XML encryptor is set,
/// so the key XML is stored as Data Protection writes it (unencrypted on Linux). Whoever can read the database can
/// therefore read the keys, and with them channel secrets kept in the same database.
/// </summary>
internal sealed partial class DatabaseXmlRepository(ServerDatabase database, string legacyFolder, ILogger<DatabaseXmlRepository> logger) : IXmlRepository
{
    private readonly Lock _importing = new();
    private bool _imported;

    // IXmlRepository is synchronous; the key ring is read once and then cached for hours, so blocking here is rare.
    public IReadOnlyCollection<XElement> GetAllElements() => GetAllElementsAsync(CancellationToken.None).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        StoreElementAsync(element, friendlyName, CancellationToken.None).GetAwaiter().GetResult();

    internal async Task<IReadOnlyCollection<XElement>> GetAllElementsAsync(CancellationToken cancellationToken)
    {
        await ImportLegacyOnceAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<string>(new CommandDefinition("SELECT xml FROM data_protection_keys ORDER BY id", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Where(xml => !string.IsNullOrEmpty(xml)).Select(xml => XElement.Parse(xml)).ToList();
    }

    internal Task StoreElementAsync(XElement element, string friendlyName, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@FriendlyName, @Xml)",
                new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            LogStored(logger, friendlyName, database.Location);
            return 0;
        }, cancellationToken);

    /// <summary>
    /// The key files a server kept in its data directory before the database held them (FileSystemXmlRepository:
    /// one <c>{friendlyName}.xml</c> each), copied in once per start, each only if no row has its name yet: users
    /// signed in before the upgrade stay signed in, and stored channel secrets stay readable.
    /// </summary>
    private async Task ImportLegacyOnceAsync(CancellationToken cancellationToken)
    {
        lock (_importing)
        {
            if (_imported)
            {
                return;
            }
        }

        var files = Directory.Exists(legacyFolder) ? Directory.GetFiles(legacyFolder, "*.xml").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count > 0)
        {
            var imported = await database.WriteAsync(async (connection, transaction) =>
            {
                var count = 0;
                foreach (var file in files)
                {
                    var name = Path.GetFileNameWithoutExtension(file);
                    var xml = XElement.Load(file).ToString(SaveOptions.DisableFormatting);
                    count += await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO data_protection_keys (friendly_name, xml) SELECT @Name, @Xml WHERE NOT EXISTS (SELECT 1 FROM data_protection_keys WHERE friendly_name = @Name)",
                        new { Name = name, Xml = xml },
                        transaction,
                        cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                return count;
            }, cancellationToken).ConfigureAwait(false);
            if (imported > 0)
            {
                LogImported(logger, imported, legacyFolder, database.Location);
            }
        }

        lock (_importing)
        {
            _imported = true;
        }
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Data protection key {FriendlyName} stored in the server database ({Location}).")]
    private static partial void LogStored(ILogger logger, string friendlyName, string location);

    [LoggerMessage(EventId = 231, Level = LogLevel.Information, Message = "Imported {Count} data protection key file(s) from {Folder} into the server database ({Location}).")]
    private static partial void LogImported(ILogger logger, int count, string folder, string location);
}

/// <summary>Registration, as <c>PersistKeysToDbContext</c> does it for EF Core.</summary>
internal static class DatabaseXmlRepositoryExtensions
{
    /// <summary>Keys in the server database; <paramref name="legacyFolder"/> is where earlier versions kept them as files.</summary>
    public static IDataProtectionBuilder PersistKeysToServerDatabase(this IDataProtectionBuilder builder, string legacyFolder)
    {
        builder.Services.AddSingleton(sp => new DatabaseXmlRepository(
            sp.GetRequiredService<ServerDatabase>(), legacyFolder, sp.GetRequiredService<ILogger<DatabaseXmlRepository>>()));
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = sp.GetRequiredService<DatabaseXmlRepository>()));
        return builder;
    }
}
