using System.Text.RegularExpressions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Identity;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// Sign-in and first run over the users table. Passwords are hashed with ASP.NET Core Identity's PasswordHasher (v3:
/// PBKDF2-HMAC-SHA512, salted); it comes with the shared framework, so no package is needed.
/// </summary>
internal sealed partial class AccountService(UserStore users, SignInThrottle throttle) : IAccountService
{
    public const int MinPasswordLength = 8;
    private static readonly PasswordHasher<UserRow> Hasher = new();

    public Task<bool> HasUsersAsync(CancellationToken cancellationToken) => users.AnyAsync(cancellationToken);

    public async Task<SignInAttempt> VerifyAsync(string name, string password, string clientAddress, CancellationToken cancellationToken)
    {
        name ??= "";
        clientAddress ??= "";
        if (await throttle.LockedForAsync(name, clientAddress, cancellationToken).ConfigureAwait(false) is { } locked)
        {
            return new SignInAttempt(null, locked);
        }

        var user = await users.FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            // Hash anyway, so a wrong name takes as long as a wrong password.
            Hasher.HashPassword(new UserRow(), password ?? "");
        }
        else if (Hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "") is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded)
        {
            await throttle.SucceededAsync(name, clientAddress, cancellationToken).ConfigureAwait(false);
            return new SignInAttempt(ToSignedIn(user));
        }

        return new SignInAttempt(null, await throttle.FailedAsync(name, clientAddress, cancellationToken).ConfigureAwait(false));
    }

    public async Task<(SignedInUser? User, AccountProblem? Problem)> CreateFirstAdminAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (Problem(name, password) is { } problem)
        {
            return (null, problem);
        }

        var created = await users.CreateAsync(name, Hash(password), Roles.Admin, onlyIfNone: true, cancellationToken).ConfigureAwait(false);
        return created is null ? (null, new AccountProblem("The admin already exists; sign in instead.")) : (ToSignedIn(created), null);
    }

    public async Task<SignedInUser?> CurrentAsync(string name, string stamp, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(name, cancellationToken).ConfigureAwait(false);
        return user is not null && user.SecurityStamp == stamp ? ToSignedIn(user) : null;
    }

    public static string Hash(string password) => Hasher.HashPassword(new UserRow(), password);

    /// <summary>What is wrong with a new name or password, or null.</summary>
    public static AccountProblem? Problem(string? name, string? password)
    {
        if (name is null || !NameRule().IsMatch(name))
        {
            return new AccountProblem("A user name is 1 to 64 letters, digits, '.', '_', '-' or '@'.");
        }

        return PasswordProblem(password);
    }

    public static AccountProblem? PasswordProblem(string? password) =>
        password is null || password.Length < MinPasswordLength || password.Length > 200
            ? new AccountProblem($"A password has at least {MinPasswordLength} characters.")
            : null;

    private static SignedInUser ToSignedIn(UserRow user) => new(user.Name, user.Role, user.SecurityStamp);

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRule();
}
