-- wrk script for scripts/cluster_check.py: scripts/load.lua's mix of pages, the API and the
-- schema, plus the API's POSTs (an import of a scenario), which nginx also retries on another
-- replica (deploy/nginx/headroom.conf.template says why that is safe).
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
local import = '{"v": 2, "dau": "5M", "peak": 3}'
local i = 0

wrk.headers["Accept-Encoding"] = "gzip, br"

request = function()
  i = i + 1
  if i % 11 == 0 then
    return wrk.format("POST", "/api/v1/report", { ["Content-Type"] = "application/json" }, import)
  end
  return wrk.format("GET", paths[(i % #paths) + 1])
end
