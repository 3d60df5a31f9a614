namespace CctvEdge.Web.Components.Account;

/// <summary>What the sign-in and first-run forms post.</summary>
internal sealed class CredentialsForm
{
    public string Name { get; set; } = "";

    public string Password { get; set; } = "";

    public string Repeat { get; set; } = "";
}
