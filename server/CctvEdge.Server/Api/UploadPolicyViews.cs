using CctvEdge.Protocol.V1;
using CctvEdge.Web.Services;
using Google.Protobuf;

namespace CctvEdge.Server.Api;

/// <summary>A node's reported upload policy (stored as protobuf JSON) as the pages and the API show it.</summary>
internal static class UploadPolicyViews
{
    public static UploadPolicyView? From(string json)
    {
        if (json.Length == 0)
        {
            return null;
        }

        try
        {
            var status = JsonParser.Default.Parse<UploadPolicyStatus>(json);
            return new UploadPolicyView(
                status.Clips.Length > 0 ? status.Clips : "all",
                [.. status.Windows],
                status.WindowOpen,
                (long)status.BudgetBytes,
                (long)status.UsedBytes,
                (long)status.HeldClips,
                status.HeldReason,
                (long)status.KeptOnNode);
        }
        catch (InvalidProtocolBufferException)
        {
            // Written by this server from a parsed message; unreadable only if the row was edited by hand.
            return null;
        }
    }
}
