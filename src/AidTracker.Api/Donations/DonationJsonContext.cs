using System.Text.Json;
using System.Text.Json.Serialization;

namespace AidTracker.Api.Donations;

/// <summary>Source-generated JSON metadata for the hot responses, so that no reflection runs per request.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DonationHistory))]
[JsonSerializable(typeof(DonationResponse))]
internal sealed partial class DonationJsonContext : JsonSerializerContext;
