namespace CctvEdge.Web.Services;

/// <summary>The two roles. Viewers read, play, watch live and export to a zip; admins also review, manage users and export to the server.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Viewer];
}

/// <summary>Who signed in: the cookie carries these, and the stamp makes it stale when the password or role changes.</summary>
public sealed record SignedInUser(string Name, string Role, string Stamp);

/// <summary>A user as the users page lists them.</summary>
public sealed record UserView(string Name, string Role, DateTimeOffset Created);

/// <summary>Why an account change was refused, in words for the page; null when it was done.</summary>
public sealed record AccountProblem(string Message);

/// <summary>A sign-in's outcome: the user, or why not (wrong credentials, or too many failures for that name just now).</summary>
public sealed record SignInAttempt(SignedInUser? User, TimeSpan? LockedFor = null)
{
    /// <summary>What to tell the visitor when the sign-in was refused.</summary>
    public string? Problem => User is not null
        ? null
        : LockedFor is { } wait
            ? $"Too many failed sign-ins for this user name from here. Try again in {Math.Ceiling(wait.TotalSeconds):0} s."
            : "Wrong user name or password.";
}

/// <summary>Sign-in and first run; safe to call without a signed-in user.</summary>
public interface IAccountService
{
    /// <summary>False on the first run, until the admin is created.</summary>
    Task<bool> HasUsersAsync(CancellationToken cancellationToken);

    /// <summary>The user when the password matches and the name is not locked by repeated failures from <paramref name="clientAddress"/>.</summary>
    Task<SignInAttempt> VerifyAsync(string name, string password, string clientAddress, CancellationToken cancellationToken);

    /// <summary>Creates the first admin; refused once any user exists.</summary>
    Task<(SignedInUser? User, AccountProblem? Problem)> CreateFirstAdminAsync(string name, string password, CancellationToken cancellationToken);

    /// <summary>The user a sign-in cookie names, if it still exists with the same stamp.</summary>
    Task<SignedInUser?> CurrentAsync(string name, string stamp, CancellationToken cancellationToken);
}

/// <summary>User management; every call requires the admin role of the user on the page.</summary>
public interface IUserAdmin
{
    Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken);

    Task<AccountProblem?> CreateAsync(string name, string password, string role, CancellationToken cancellationToken);

    Task<AccountProblem?> SetPasswordAsync(string name, string password, CancellationToken cancellationToken);

    Task<AccountProblem?> SetRoleAsync(string name, string role, CancellationToken cancellationToken);

    Task<AccountProblem?> DeleteAsync(string name, CancellationToken cancellationToken);
}
