/**
 * Lua scripts behind RedisRunningQueryStore. Each runs atomically in Redis, which is what makes
 * "exactly one replica starts / stops a query" hold without client-side locking.
 *
 * Keys (P = prefix): P q:<key> hash = the running record; P h:<handle> hash = {key} while
 * running, then the record + outcome + completedAt for the retention window; P abandon = zset
 * of keys by abandonAt; P stop:<key> = the stop lock. Scripts touch the handle key they read
 * from the record, so under Redis Cluster the prefix needs a hash tag (`lakegate:{lq}:`).
 */

/** Push abandonAt (and both TTLs) forward, never back: a stale touch must not shorten the grace. */
const EXTEND = `
local function extend(rec, z, member, abandonAt, ttl, hPrefix)
  local cur = tonumber(redis.call('HGET', rec, 'abandonAt'))
  if tonumber(abandonAt) <= cur then return end
  redis.call('HSET', rec, 'abandonAt', abandonAt)
  redis.call('ZADD', z, abandonAt, member)
  redis.call('PEXPIRE', rec, ttl)
  redis.call('PEXPIRE', hPrefix .. redis.call('HGET', rec, 'handle'), ttl)
end
`;

/** Move the record onto its handle as a tombstone, so a late queryStatus still learns "done". */
const RETIRE = `
local function retire(rec, z, member, outcome, completedAt, retention, hPrefix)
  local fields = redis.call('HGETALL', rec)
  local hKey = hPrefix .. redis.call('HGET', rec, 'handle')
  redis.call('DEL', rec)
  redis.call('ZREM', z, member)
  redis.call('HSET', hKey, unpack(fields))
  redis.call('HSET', hKey, 'outcome', outcome, 'completedAt', completedAt)
  redis.call('PEXPIRE', hKey, retention)
end
`;

/**
 * KEYS: rec, zset, new handle key. ARGV: key, abandonAt, ttlMs, hPrefix, then field/value pairs.
 * Returns {1, fields} when this call created the record, {0, fields} for the existing one.
 */
export const CLAIM = `${EXTEND}
if redis.call('EXISTS', KEYS[1]) == 1 then
  extend(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
  return {0, redis.call('HGETALL', KEYS[1])}
end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[3], 'key', ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return {1, redis.call('HGETALL', KEYS[1])}
`;

/** KEYS: rec, zset. ARGV: key, abandonAt, ttlMs, hPrefix. Returns 1 if the record exists. */
export const TOUCH = `${EXTEND}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
extend(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return 1
`;

/** KEYS: rec, zset. ARGV: key, outcome, completedAt, retentionMs, hPrefix. */
export const COMPLETE = `${RETIRE}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
retire(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return 1
`;

/**
 * KEYS: rec, zset, lock. ARGV: key, now, lockTtlMs, retentionMs, hPrefix.
 * Re-checks abandonAt under the lock (a waiter may have touched since abandoned() listed it),
 * then retires the record in the same step, so a later identical request starts afresh
 * instead of picking up a query that is being stopped. Returns the retired fields or false.
 */
export const LOCK_FOR_STOP = `${RETIRE}
local ab = redis.call('HGET', KEYS[1], 'abandonAt')
if not ab or tonumber(ab) > tonumber(ARGV[2]) then return false end
if not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then return false end
local fields = redis.call('HGETALL', KEYS[1])
retire(KEYS[1], KEYS[2], ARGV[1], 'abandoned', ARGV[2], ARGV[4], ARGV[5])
return fields
`;

/**
 * KEYS: handle key. ARGV: record key prefix, handle. Returns {'unknown'}, {'done', fields}
 * or {'running', fields}; the handle check guards against a key re-claimed by a newer query.
 */
export const LOOKUP = `
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then return {'unknown'} end
if redis.call('HEXISTS', KEYS[1], 'outcome') == 1 then return {'done', h} end
local rec = ARGV[1] .. redis.call('HGET', KEYS[1], 'key')
if redis.call('HGET', rec, 'handle') ~= ARGV[2] then return {'unknown'} end
return {'running', redis.call('HGETALL', rec)}
`;
