using Bunit;
using CctvEdge.Web.Components.Shared;
using CctvEdge.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace CctvEdge.Web.Tests;

/// <summary>What the overview and the fleet page say about a node's upload policy, rendered with bUnit.</summary>
public sealed class UploadPolicySummaryTests : RadzenContext
{

    [Fact]
    public void Metered_ModeWindowBudgetHeldAndKept_AllSaid()
    {
        var summary = Render(new UploadPolicyView("flagged", ["01:00-05:00"], false, 500L << 20, 480L << 20, 3, "clips are sent only 01:00-05:00 (node time)", 12));

        Assert.Equal("Metered link: only flagged clips (person, vehicle, intrusion) go by themselves, 01:00-05:00 node time (closed now)", summary.Find("[data-testid=upload-policy-clips]").TextContent.Trim());
        Assert.Equal("480 MB of 500 MB sent today", summary.Find("[data-testid=upload-budget]").TextContent.Trim());
        // 96 % used: the bar turns red.
        Assert.Contains("rz-progressbar-danger", summary.Find("[data-testid=upload-budget] .rz-progressbar").ClassName, StringComparison.Ordinal);
        Assert.Equal("3 clip(s) held: clips are sent only 01:00-05:00 (node time).", summary.Find("[data-testid=upload-held]").TextContent.Trim());
        Assert.StartsWith("12 clip(s) kept on the node", summary.Find("[data-testid=upload-kept]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnDemand_NoBudget_NoWindowsSaid_NothingHeld()
    {
        var summary = Render(new UploadPolicyView("on-demand", ["01:00-05:00"], true, 0, 0, 0, "", 0));

        Assert.Equal("Metered link: clips on demand only", summary.Find("[data-testid=upload-policy-clips]").TextContent.Trim());
        Assert.Empty(summary.FindAll("[data-testid=upload-budget]"));
        Assert.Empty(summary.FindAll("[data-testid=upload-held]"));
    }

    [Fact]
    public void SendsEverything_OrNotReported_SaysNothing()
    {
        Assert.Empty(Render(new UploadPolicyView("all", [], true, 0, 0, 0, "", 0)).FindAll("[data-testid=upload-policy]"));
        Assert.Empty(Render(null).FindAll("[data-testid=upload-policy]"));
    }

    private IRenderedComponent<UploadPolicySummary> Render(UploadPolicyView? policy) =>
        Context.Render<UploadPolicySummary>(p => p.Add(c => c.Policy, policy));
}
