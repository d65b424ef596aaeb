// tsc must refuse this file (`run` checks that it does): an instalment changes the donation, so If-Match is a required
// header of POST /donations/{id}/deliveries.
// tsc says: Property '"If-Match"' is missing
import createClient from "openapi-fetch";
import type { paths } from "../generated/api.js";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1" });
await client.POST("/api/v1/donations/{id}/deliveries", {
  params: { path: { id: 1 }, header: {} },
  body: { delivered_on: "2025-05", evidence: [{ source: 1, supports: ["delivery"] }] },
});
