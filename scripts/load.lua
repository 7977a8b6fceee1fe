-- wrk script for scripts/load.sh and scripts/restart.py: a mix of what people and scripts ask
-- for (pages with and without a scenario, the JSON API, the schema), compressed as browsers
-- ask for it.
local paths = {
  "/",
  "/capacity",
  "/availability",
  "/cost",
  "/capacity?dau=5M&peak=3&util=0.7",
  "/availability?slo=99.95&down=1h",
  "/cost?req_month=50M&arch=arm&free_tier=1",
  "/api/v1/report",
  "/api/v1/report?dau=1B&slo=99.95&q_rate=5000",
  "/api/v1/schema",
}
local i = 0

wrk.headers["Accept-Encoding"] = "gzip, br"

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
