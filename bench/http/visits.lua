-- POST /visits/n<k> over 1,000 names: one upsert per request, spread over rows so that the
-- figure measures the server and the pool rather than lock waits on one hot row.
wrk.method = "POST"
request = function()
  return wrk.format(nil, "/visits/n" .. math.random(1, 1000))
end
