// tsc must refuse this file (`run` checks that it does): source is a required property of DonationRequest.
// tsc says: Property 'source' is missing
import createClient from "openapi-fetch";
import type { paths } from "../generated/api.js";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1" });
await client.POST("/api/v1/donations", {
  body: { donor: "POL", recipient: "UKR", weapon_system: "fim-92-stinger", status: "announced", announced_on: "2025-01-01" },
});
