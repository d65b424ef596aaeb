// tsc must refuse this file (`run` checks that it does): evidence (at least one citation of a source) is a required
// property of DonationRequest; there is no free-text source any more.
// tsc says: Property 'evidence' is missing
import createClient from "openapi-fetch";
import type { paths } from "../generated/api.js";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1" });
await client.POST("/api/v1/donations", {
  body: { donor: "POL", recipient: "UKR", weapon_system: "fim-92-stinger", status: "announced", announced_on: "2025-01" },
});
