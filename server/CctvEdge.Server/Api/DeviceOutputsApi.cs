using System.Globalization;
using System.Text.Json;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Sessions;

namespace CctvEdge.Server.Api;

/// <summary>
/// <c>PUT /api/sensors/{node}/{sensor}/outputs</c>: what a board posting to its node (a microcontroller sensor) should
/// set, e.g. <c>{"relay": true, "siren": 0}</c>. The server sends it to the connected node and answers with the node's
/// verdict; the node keeps it across restarts and serves it on the board's <c>GET /output</c>.
/// </summary>
internal static class DeviceOutputsApi
{
    public const int MaxOutputs = 32;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapDeviceOutputsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/api/sensors/{node}/{sensor}/outputs", SetAsync)
            .WithTags("Sensors")
            .RequireAuthorization(ApiScopes.AdminPolicy)
            .WithSummary("Set what a board (a microcontroller sensor) gets on its node's GET /output: a JSON object of names and booleans, numbers or text; sent to the node, which must be connected.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return endpoints;
    }

    private static async Task<IResult> SetAsync(string node, string sensor, JsonElement body, CommandReplies replies, CancellationToken ct)
    {
        var errors = new QueryErrors();
        if (!Identifier.IsValid(node) || !Identifier.IsValid(sensor))
        {
            errors.Add("sensor", "node and sensor must be ids: lower-case letters, digits, '-' and '_'.");
        }

        var outputs = Read(body, errors);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var command = new Command { SetDeviceOutputs = new SetDeviceOutputs { SensorId = sensor } };
        command.SetDeviceOutputs.Outputs.Add(outputs);
        var (outcome, reply) = await replies.SendAsync(node, command, ReplyTimeout, ct).ConfigureAwait(false);
        return outcome switch
        {
            CommandOutcome.Offline => Results.Problem($"Node '{node}' is not connected; nothing was sent.", statusCode: StatusCodes.Status409Conflict),
            CommandOutcome.TimedOut => Results.Problem($"Node '{node}' did not answer within {ReplyTimeout.TotalSeconds:0} s.", statusCode: StatusCodes.Status504GatewayTimeout),
            _ when reply is { Ok: true } => Results.Ok(new { node, sensor, outputs = body }),
            _ => Results.Problem($"Node '{node}' refused: {reply?.Error}", statusCode: StatusCodes.Status400BadRequest),
        };
    }

    /// <summary>The outputs as the node keeps them (text), or the problems naming each bad one.</summary>
    private static Dictionary<string, string> Read(JsonElement body, QueryErrors errors)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "must be a JSON object of output names and values, e.g. {\"relay\": true}.");
            return outputs;
        }

        foreach (var output in body.EnumerateObject())
        {
            if (output.Name.Length is 0 or > 64 || !output.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                errors.Add(output.Name, "output names are 1 to 64 letters, digits, '.', '_' or '-'.");
                continue;
            }

            string? value = output.Value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => output.Value.GetDouble().ToString(CultureInfo.InvariantCulture),
                JsonValueKind.String when output.Value.GetString()!.Length <= 256 => output.Value.GetString(),
                _ => null,
            };
            if (value is null)
            {
                errors.Add(output.Name, "must be a boolean, a number or a text of at most 256 characters.");
            }
            else
            {
                outputs[output.Name] = value;
            }
        }

        if (outputs.Count > MaxOutputs)
        {
            errors.Add("body", $"may hold at most {MaxOutputs} outputs.");
        }

        return outputs;
    }
}
