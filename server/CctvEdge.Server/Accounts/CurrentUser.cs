using System.Security.Claims;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Components.Authorization;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// The user of the page a view service is called from (one per circuit). Services check roles here as well as the
/// pages hiding buttons, so a crafted circuit message cannot act beyond its role.
/// </summary>
internal sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<ClaimsPrincipal> GetAsync() => (await authentication.GetAuthenticationStateAsync().ConfigureAwait(false)).User;

    /// <summary>The signed-in admin's name; throws for anyone else.</summary>
    public async Task<string> RequireAdminAsync()
    {
        var user = await GetAsync().ConfigureAwait(false);
        return user.IsInRole(Roles.Admin) && user.Identity?.Name is { } name
            ? name
            : throw new UnauthorizedAccessException("This needs the admin role.");
    }
}
