using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Accounts;

/// <summary>The users page's service: admins only.</summary>
internal sealed class UserAdmin(UserStore users, CurrentUser current, AuditStore audit) : IUserAdmin
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return (await users.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(u => new UserView(u.Name, u.Role, DateTimeOffset.FromUnixTimeMilliseconds(u.CreatedMs)))
            .ToList();
    }

    public Task<AccountProblem?> CreateAsync(string name, string password, string role, CancellationToken cancellationToken) =>
        AuditedAsync($"create user ({role})", name, async () =>
        {
            if ((AccountService.Problem(name, password) ?? RoleProblem(role)) is { } problem)
            {
                return problem;
            }

            return await users.CreateAsync(name, AccountService.Hash(password), role, onlyIfNone: false, cancellationToken).ConfigureAwait(false) is null
                ? new AccountProblem($"A user named '{name}' exists already.")
                : null;
        });

    public Task<AccountProblem?> SetPasswordAsync(string name, string password, CancellationToken cancellationToken) =>
        AuditedAsync("set password", name, async () =>
        {
            if (AccountService.PasswordProblem(password) is { } problem)
            {
                return problem;
            }

            return await users.UpdateAsync(name, AccountService.Hash(password), null, cancellationToken).ConfigureAwait(false) ? null : Unknown(name);
        });

    public Task<AccountProblem?> SetRoleAsync(string name, string role, CancellationToken cancellationToken) =>
        AuditedAsync($"set role {role}", name, async () =>
        {
            if (RoleProblem(role) is { } problem)
            {
                return problem;
            }

            var user = await users.FindAsync(name, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return Unknown(name);
            }

            if (user.Role == Roles.Admin && role != Roles.Admin && await users.CountAdminsAsync(cancellationToken).ConfigureAwait(false) <= 1)
            {
                return new AccountProblem("The last admin stays an admin.");
            }

            return await users.UpdateAsync(name, null, role, cancellationToken).ConfigureAwait(false) ? null : Unknown(name);
        });

    public Task<AccountProblem?> DeleteAsync(string name, CancellationToken cancellationToken) =>
        AuditedAsync("delete user", name, async () =>
        {
            if (await users.FindAsync(name, cancellationToken).ConfigureAwait(false) is null)
            {
                return Unknown(name);
            }

            return await users.DeleteAsync(name, cancellationToken).ConfigureAwait(false) ? null : new AccountProblem("The last admin cannot be deleted.");
        });

    /// <summary>Runs a change as the admin on the page and writes it to the audit log, refused or done.</summary>
    private async Task<AccountProblem?> AuditedAsync(string action, string name, Func<Task<AccountProblem?>> change)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var problem = await change().ConfigureAwait(false);
        await audit.PageChangeAsync(by, action, $"user {name}", problem?.Message ?? "done").ConfigureAwait(false);
        return problem;
    }

    private static AccountProblem? RoleProblem(string role) =>
        Roles.All.Contains(role) ? null : new AccountProblem($"The role is one of {string.Join(", ", Roles.All)}.");

    private static AccountProblem Unknown(string name) => new($"There is no user named '{name}'.");
}
