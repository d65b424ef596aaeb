// tsc must refuse this file (`run` checks that it does): the document declares If-Match a required header of
// PUT /donations/{id}, so the generated types make params.header, and If-Match in it, required.
// tsc says: Property 'header' is missing
import createClient from "openapi-fetch";
import type { paths } from "../generated/api.js";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1" });
await client.PUT("/api/v1/donations/{id}", {
  params: { path: { id: 1 } },
  body: {
    donor: "POL", recipient: "UKR", weapon_system: "fim-92-stinger", status: "announced", announced_on: "2025-01-01",
    evidence: [{ source: 1, quote: "A PUT without If-Match", supports: ["announcement"] }],
  },
});
