-- The key projects of every district, as an observation tour picks them:
-- per district, the $1 projects under construction (在建) with the largest
-- total investment (ties by id), districts in code order.
SELECT id FROM (
    SELECT p.id, d.code, row_number() OVER (PARTITION BY p.district_id ORDER BY p.total_investment DESC, p.id) AS n
      FROM projects p
      JOIN districts d ON d.id = p.district_id
     WHERE p.stage = 'building'
) k
 WHERE n <= $1
 ORDER BY code, n
