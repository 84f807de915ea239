/**
 * Lua for the Redis store. Each script runs atomically inside Redis, so two gateways writing the
 * same series at once still keep the bounds, the running totals and the counts exact.
 *
 * Keys all start with one prefix holding a hash tag (`mg:{native:<source>}:`), so on Redis
 * Cluster every key of a source lands in one slot; KEYS[1] (the stats hash) routes the call.
 *
 *   types / units / helps   HASH  metric name -> type / unit / help
 *   exposed                 HASH  name in the Prometheus scrape -> metric name
 *   mexposed                HASH  metric name -> its exposed names, comma-separated
 *   mcount                  HASH  metric name -> series count (every tenant)
 *   tn:<tenant>             HASH  metric name -> series count of that tenant ('' = no tenant)
 *   nids:<name>             SET   series ids of a metric (every tenant)
 *   ids:<name>:<tenant>     SET   series ids of a metric for one tenant
 *   meta                    HASH  series id -> JSON {n, t, l, s, tn}
 *   latest                  ZSET  series id scored by its newest timestamp (eviction order)
 *   p:<id>                  ZSET  points scored by timestamp; member "<12-digit seq>:<value>"
 *                                 (counter values are increments; reads add them up)
 *   s:<id>                  HASH  type, name, tenant, seq, total, base, count, sum, bounds,
 *                                 b0..bN (histogram bucket counts), lastTs, lastVal
 *   stats                   HASH  collected, points, d_point_limit, d_series_limit,
 *                                 d_retention, last
 */

const SHARED = `
local B = ARGV[1]
local stats = KEYS[1]

local function trim(id, k, reason)
  local pk = B .. 'p:' .. id
  local sk = B .. 's:' .. id
  if redis.call('HGET', sk, 'type') == 'counter' then
    local old = redis.call('ZRANGE', pk, 0, k - 1)
    local sum = 0
    for _, member in ipairs(old) do sum = sum + tonumber(string.sub(member, 14)) end
    redis.call('HINCRBYFLOAT', sk, 'base', string.format('%.17g', sum))
  end
  redis.call('ZREMRANGEBYRANK', pk, 0, k - 1)
  redis.call('HINCRBY', stats, 'points', -k)
  redis.call('HINCRBY', stats, 'd_' .. reason, k)
end

local function forget(id, reason)
  local sk = B .. 's:' .. id
  local name = redis.call('HGET', sk, 'name')
  if not name then return end
  local tenant = redis.call('HGET', sk, 'tenant') or ''
  local n = redis.call('ZCARD', B .. 'p:' .. id)
  redis.call('DEL', B .. 'p:' .. id, sk)
  redis.call('HDEL', B .. 'meta', id)
  redis.call('ZREM', B .. 'latest', id)
  redis.call('SREM', B .. 'nids:' .. name, id)
  redis.call('SREM', B .. 'ids:' .. name .. ':' .. tenant, id)
  if redis.call('HINCRBY', B .. 'tn:' .. tenant, name, -1) <= 0 then redis.call('HDEL', B .. 'tn:' .. tenant, name) end
  if redis.call('HINCRBY', B .. 'mcount', name, -1) <= 0 then
    redis.call('HDEL', B .. 'mcount', name)
    redis.call('HDEL', B .. 'types', name)
    redis.call('HDEL', B .. 'units', name)
    redis.call('HDEL', B .. 'helps', name)
    local exposed = redis.call('HGET', B .. 'mexposed', name)
    if exposed then
      for e in string.gmatch(exposed, '[^,]+') do redis.call('HDEL', B .. 'exposed', e) end
    end
    redis.call('HDEL', B .. 'mexposed', name)
  end
  redis.call('HINCRBY', stats, 'points', -n)
  redis.call('HINCRBY', stats, 'd_' .. reason, n)
end
`;

/**
 * ARGV: prefix, now, maxSeries, maxPointsPerSeries, then one group per series (the points of one
 * series in one batch, in push order): id, tenant, name, type, meta JSON, unit, help, exposed
 * names (comma-separated), bucket bounds (comma-separated, histograms only), n, then n pairs of
 * timestamp and value. Returns one string per group: '' when stored, 'type:<existing type>' or
 * 'exposed:<name>:<owner>' when refused. Working per series rather than per point keeps the
 * Redis work per batch close to one command per point.
 */
export const RECORD_SCRIPT = `${SHARED}
local now = ARGV[2]
local maxSeries = tonumber(ARGV[3])
local maxPoints = tonumber(ARGV[4])
local results = {}
local i = 5
while i <= #ARGV do
  local id, tenant, name, mtype, meta = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local unit, help, exposed, bounds = ARGV[i + 5], ARGV[i + 6], ARGV[i + 7], ARGV[i + 8]
  local n = tonumber(ARGV[i + 9])
  local first = i + 10
  i = first + 2 * n
  local problem = ''
  local existing = redis.call('HGET', B .. 'types', name)
  if existing then
    if existing ~= mtype then problem = 'type:' .. existing end
  else
    for e in string.gmatch(exposed, '[^,]+') do
      local owner = redis.call('HGET', B .. 'exposed', e)
      if owner then
        problem = 'exposed:' .. e .. ':' .. owner
        break
      end
    end
  end
  if problem == '' then
    local sk = B .. 's:' .. id
    local pk = B .. 'p:' .. id
    if redis.call('HEXISTS', B .. 'meta', id) == 0 then
      if redis.call('ZCARD', B .. 'latest') >= maxSeries then
        local victim = redis.call('ZRANGE', B .. 'latest', 0, 0)[1]
        if victim then forget(victim, 'series_limit') end
      end
      if not redis.call('HGET', B .. 'types', name) then
        redis.call('HSET', B .. 'types', name, mtype)
        redis.call('HSET', B .. 'mexposed', name, exposed)
        for e in string.gmatch(exposed, '[^,]+') do redis.call('HSET', B .. 'exposed', e, name) end
      end
      redis.call('HSET', B .. 'meta', id, meta)
      redis.call('SADD', B .. 'nids:' .. name, id)
      redis.call('SADD', B .. 'ids:' .. name .. ':' .. tenant, id)
      redis.call('HINCRBY', B .. 'tn:' .. tenant, name, 1)
      redis.call('HINCRBY', B .. 'mcount', name, 1)
      redis.call('HSET', sk, 'type', mtype, 'name', name, 'tenant', tenant, 'total', '0', 'base', '0', 'count', '0', 'sum', '0')
      if bounds ~= '' then redis.call('HSET', sk, 'bounds', bounds) end
    end
    if unit ~= '' then redis.call('HSET', B .. 'units', name, unit) end
    if help ~= '' then redis.call('HSET', B .. 'helps', name, help) end

    local seq = redis.call('HINCRBY', sk, 'seq', n) - n
    local lastTs = tonumber(redis.call('HGET', sk, 'lastTs') or '-1e308')
    local lastVal = nil
    local sum = 0
    local buckets = {}
    local boundList = {}
    if mtype == 'histogram' then
      for bound in string.gmatch(redis.call('HGET', sk, 'bounds') or '', '[^,]+') do boundList[#boundList + 1] = tonumber(bound) end
    end
    -- ZADD in slices: Lua's unpack has a stack limit.
    local args = {}
    for k = 0, n - 1 do
      local ts, value = ARGV[first + 2 * k], ARGV[first + 2 * k + 1]
      local v = tonumber(value)
      seq = seq + 1
      args[#args + 1] = ts
      args[#args + 1] = string.format('%012d', seq) .. ':' .. value
      if #args >= 1000 then
        redis.call('ZADD', pk, unpack(args))
        args = {}
      end
      sum = sum + v
      if tonumber(ts) >= lastTs then
        lastTs = tonumber(ts)
        lastVal = value
      end
      if mtype == 'histogram' then
        local index = 0
        for _, bound in ipairs(boundList) do
          if v <= bound then break end
          index = index + 1
        end
        buckets[index] = (buckets[index] or 0) + 1
      end
    end
    if #args > 0 then redis.call('ZADD', pk, unpack(args)) end
    if mtype == 'counter' then
      redis.call('HINCRBYFLOAT', sk, 'total', string.format('%.17g', sum))
    elseif mtype == 'histogram' or mtype == 'summary' then
      redis.call('HINCRBY', sk, 'count', n)
      redis.call('HINCRBYFLOAT', sk, 'sum', string.format('%.17g', sum))
      for index, count in pairs(buckets) do redis.call('HINCRBY', sk, 'b' .. index, count) end
    end
    if lastVal then
      redis.call('HSET', sk, 'lastTs', string.format('%.17g', lastTs), 'lastVal', lastVal)
      redis.call('ZADD', B .. 'latest', lastTs, id)
    end
    redis.call('HINCRBY', stats, 'points', n)
    redis.call('HINCRBY', stats, 'collected', n)
    local count = redis.call('ZCARD', pk)
    if count > maxPoints then trim(id, count - maxPoints, 'point_limit') end
  end
  results[#results + 1] = problem
end
redis.call('HSET', stats, 'last', now)
return results
`;

/** ARGV: prefix, horizon (epoch ms). Drops every point older than the horizon. */
export const SWEEP_SCRIPT = `${SHARED}
local horizon = ARGV[2]
local gone = redis.call('ZRANGEBYSCORE', B .. 'latest', '-inf', '(' .. horizon)
for _, id in ipairs(gone) do forget(id, 'retention') end
local ids = redis.call('ZRANGE', B .. 'latest', 0, -1)
for _, id in ipairs(ids) do
  local k = redis.call('ZCOUNT', B .. 'p:' .. id, '-inf', '(' .. horizon)
  if k > 0 then trim(id, k, 'retention') end
end
return #gone
`;
