"""Hand-written PostgreSQL for the reports bench: what the monthly report computes, raw.

RAW_GROUP_BY is the core aggregate (block and latest pickup per group, with the settlement);
RAW_REPORT_ROWS and RAW_REPORT_CHARTS compute every figure the report shows: the rows with
previous pickup, F&B and per-currency totals, then the nights and the pace.
"""

RAW_GROUP_BY = """
WITH g AS (
  SELECT id FROM contracts
  WHERE property_id = %(property)s AND arrival < %(end)s AND departure > %(start)s
), cur AS (
  SELECT DISTINCT ON (contract_id) id, contract_id FROM block_revisions
  WHERE contract_id IN (SELECT id FROM g) ORDER BY contract_id, number DESC
), blk AS (
  SELECT cur.contract_id, sum(n.rooms) AS block
  FROM block_nights n JOIN cur ON cur.id = n.revision_id
  WHERE n.night >= %(start)s AND n.night < %(end)s GROUP BY cur.contract_id
), pick AS (
  SELECT contract_id, sum(rooms) AS picked_up FROM (
    SELECT DISTINCT ON (contract_id, night, room_type) contract_id, rooms
    FROM room_night_snapshots
    WHERE contract_id IN (SELECT id FROM g) AND kind = 'pickup'
      AND night >= %(start)s AND night < %(end)s
    ORDER BY contract_id, night, room_type, as_of DESC
  ) latest GROUP BY contract_id
)
SELECT c.code, coalesce(blk.block, 0), coalesce(pick.picked_up, 0), s.total
FROM contracts c JOIN g ON g.id = c.id
LEFT JOIN blk ON blk.contract_id = c.id
LEFT JOIN pick ON pick.contract_id = c.id
LEFT JOIN stored_settlements s ON s.contract_id = c.id
ORDER BY c.arrival, c.code
"""
# The same figures as the report, written by hand for PostgreSQL: rows with totals, then the
# nights and the pace (cancelled groups left out of those two).
RAW_REPORT_ROWS = """
WITH g AS (
  SELECT id FROM contracts
  WHERE property_id = %(property)s AND arrival < %(end)s AND departure > %(start)s
), cur AS (
  SELECT DISTINCT ON (contract_id) id, contract_id FROM block_revisions
  WHERE contract_id IN (SELECT id FROM g) ORDER BY contract_id, number DESC
), blk AS (
  SELECT cur.contract_id, sum(n.rooms) AS block
  FROM block_nights n JOIN cur ON cur.id = n.revision_id
  WHERE n.night >= %(start)s AND n.night < %(end)s GROUP BY cur.contract_id
), snap AS (
  SELECT contract_id, night, room_type, as_of, rooms FROM room_night_snapshots
  WHERE contract_id IN (SELECT id FROM g) AND kind = 'pickup'
    AND night >= %(start)s AND night < %(end)s
), latest AS (
  SELECT contract_id, sum(rooms) AS rooms FROM (
    SELECT DISTINCT ON (contract_id, night, room_type) contract_id, rooms FROM snap
    ORDER BY contract_id, night, room_type, as_of DESC) x GROUP BY contract_id
), prev AS (
  SELECT contract_id, sum(rooms) AS rooms FROM (
    SELECT DISTINCT ON (contract_id, night, room_type) contract_id, rooms FROM snap
    WHERE as_of <= %(previous)s ORDER BY contract_id, night, room_type, as_of DESC) x
  GROUP BY contract_id
), r AS (
  SELECT c.code, c.name, a.name AS account, c.status, c.arrival, c.departure,
    coalesce(blk.block, 0) AS block, coalesce(latest.rooms, 0) AS picked_up,
    coalesce(prev.rooms, 0) AS previous, c.arrival >= %(start)s AS arrives,
    CASE WHEN c.arrival >= %(start)s THEN s.minimum END AS minimum,
    CASE WHEN c.arrival >= %(start)s THEN s.shortfall END AS shortfall,
    CASE WHEN c.arrival >= %(start)s THEN s.total END AS damages,
    CASE WHEN c.arrival >= %(start)s THEN f.minimum END AS fnb_minimum,
    CASE WHEN c.arrival >= %(start)s THEN (
      SELECT amount FROM revenue_snapshots v WHERE v.contract_id = c.id AND v.kind = 'fnb'
      ORDER BY as_of DESC LIMIT 1) END AS fnb_actual
  FROM contracts c JOIN g ON g.id = c.id JOIN accounts a ON a.id = c.account_id
  LEFT JOIN blk ON blk.contract_id = c.id LEFT JOIN latest ON latest.contract_id = c.id
  LEFT JOIN prev ON prev.contract_id = c.id
  LEFT JOIN stored_settlements s ON s.contract_id = c.id
  LEFT JOIN fnb_clauses f ON f.contract_id = c.id
)
-- The report's totals leave tentative groups out (they are listed, not counted).
SELECT r.*, count(*) FILTER (WHERE signed) OVER (), sum(block) FILTER (WHERE signed) OVER (),
  sum(picked_up) FILTER (WHERE signed) OVER (), sum(previous) FILTER (WHERE signed) OVER (),
  sum(minimum) FILTER (WHERE signed) OVER (), sum(shortfall) FILTER (WHERE signed) OVER (),
  sum(damages) FILTER (WHERE signed) OVER (), sum(fnb_minimum) FILTER (WHERE signed) OVER (),
  sum(fnb_actual) FILTER (WHERE signed) OVER ()
FROM (SELECT *, status <> 'tentative' AS signed FROM r) r ORDER BY arrival, code
"""
RAW_REPORT_CHARTS = """
WITH g AS (
  SELECT id FROM contracts WHERE property_id = %(property)s AND arrival < %(end)s
    AND departure > %(start)s AND status <> 'cancelled'
), cur AS (
  SELECT DISTINCT ON (contract_id) id FROM block_revisions
  WHERE contract_id IN (SELECT id FROM g) ORDER BY contract_id, number DESC
), snap AS (
  SELECT contract_id, night, room_type, as_of, rooms FROM room_night_snapshots
  WHERE contract_id IN (SELECT id FROM g) AND kind = 'pickup'
    AND night >= %(start)s AND night < %(end)s
)
SELECT 'block', n.night, sum(n.rooms) FROM block_nights n JOIN cur ON cur.id = n.revision_id
WHERE n.night >= %(start)s AND n.night < %(end)s GROUP BY n.night
UNION ALL
SELECT 'pickup', night, sum(rooms) FROM (
  SELECT DISTINCT ON (contract_id, night, room_type) night, rooms FROM snap
  ORDER BY contract_id, night, room_type, as_of DESC) x GROUP BY night
UNION ALL
SELECT 'pace', m.at, (SELECT sum(rooms) FROM (
  SELECT DISTINCT ON (contract_id, night, room_type) rooms FROM snap WHERE as_of <= m.at
  ORDER BY contract_id, night, room_type, as_of DESC) x)
FROM unnest(%(ends)s::date[]) AS m(at)
"""
