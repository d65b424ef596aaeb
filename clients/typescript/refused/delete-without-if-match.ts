// tsc must refuse this file (`run` checks that it does): If-Match is a required header of DELETE /donations/{id} too.
// tsc says: Property '"If-Match"' is missing
import createClient from "openapi-fetch";
import type { paths } from "../generated/api.js";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1" });
await client.DELETE("/api/v1/donations/{id}", { params: { path: { id: 1 }, header: {} } });
