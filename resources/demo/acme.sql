-- Acme demo warehouse: a fictional B2B SaaS company (accounts, contacts, subscriptions, product
-- events, support tickets), so a new Sluice user has something real-looking to sync at once.
--
-- Deterministic by design: no random() and no 'now'. Every "random" choice comes from a hash of a
-- row number, and every date is relative to the fixed reference date 2026-11-01, so two builds are
-- identical and "the last 30 days" always means 2026-10-02 .. 2026-10-31.
--
-- Hashing: each generator computes h = mix(x), a murmur-style finaliser written out inline
--   a = x * 2654435761 % 2^32;  c = (a XOR a >> 16) * 1597334677 % 2^32;  h = c XOR c >> 13
-- (XOR spelled (p | q) - (p & q)), kept under 2^63 at every step because SQLite turns an
-- overflowing integer product into a REAL. A value in [0, n) is taken from the high bits of h * M
-- mod 2^32 with a different odd multiplier M per attribute, so attributes of one row do not
-- correlate:  pick(M, n) = h * M % 4294967296 * n >> 32.
--
-- Hidden per-account behaviour ("archetype") drives the data so the three demo models have
-- something to find: declining accounts (usage falls in the last 30 days, urgent tickets pile up),
-- growing accounts (every seat in use), API-heavy accounts, churned and trialing accounts.
-- Builds in about a second (150k events); the whole script is one transaction.

PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;

BEGIN;

DROP VIEW IF EXISTS v_account_usage_30d;
DROP VIEW IF EXISTS v_account_tickets;
DROP VIEW IF EXISTS v_current_subscription;
DROP TABLE IF EXISTS support_tickets;
DROP TABLE IF EXISTS events;
DROP TABLE IF EXISTS subscriptions;
DROP TABLE IF EXISTS contacts;
DROP TABLE IF EXISTS accounts;
DROP TABLE IF EXISTS acme_info;

-- ---------------------------------------------------------------------------------------------
-- Word lists (temporary; gone when the connection closes, dropped explicitly at the end)
-- ---------------------------------------------------------------------------------------------

CREATE TEMP TABLE _first_name(i INTEGER PRIMARY KEY, name TEXT NOT NULL, ascii TEXT);
INSERT INTO _first_name(i, name) SELECT key, value FROM json_each('[
 "James","Mary","John","Patricia","Robert","Jennifer","Michael","Linda","David","Sarah","Emily",
 "Daniel","Olivia","Liam","Noah","Emma","Ava","Sophia","Ethan","Grace","Jack","Hannah","Oliver",
 "Charlotte","José","María","Lucía","Javier","Sofía","Diego","Camila","Mateo","Valentina",
 "Andrés","Zoë","Chloé","Léa","Hélène","François","Amélie","Théo","Céline","Jérôme","Jürgen",
 "Lukas","Anna","Felix","Jonas","Lena","Günter","Björn","Søren","Åsa","Ingrid","Lars","João",
 "Luís","Beatriz","Gonçalo","Inês","Priya","Arjun","Ananya","Rohan","Aisha","Vikram","Kavya",
 "Hiroshi","Yuki","Haruto","Sakura","Kenji","Wei","Mei","Jun","Min-jun","Ji-woo","Linh",
 "Fatima","Omar","Youssef","Leila","Karim","Olga","Dmitri","Katarzyna","Piotr","Zofia","Tomasz",
 "Aoife","Siobhán","Ciarán","Niamh","Giulia","Marco","Alessandro","Francesca","Kwame","Amara",
 "Chidi","Ngozi"]');

CREATE TEMP TABLE _last_name(i INTEGER PRIMARY KEY, name TEXT NOT NULL, ascii TEXT);
INSERT INTO _last_name(i, name) SELECT key, value FROM json_each('[
 "Smith","Johnson","Williams","Brown","Jones","Miller","Davis","Wilson","Anderson","Taylor",
 "Thomas","Moore","Martin","Jackson","Thompson","White","Harris","Clark","Lewis","Walker","Young",
 "King","Wright","Baker","García","Rodríguez","Martínez","López","González","Hernández","Pérez",
 "Sánchez","Ramírez","Müller","Schmidt","Schneider","Fischer","Weber","Meyer","Wagner","Schäfer",
 "Köhler","Dubois","Lefèvre","Moreau","Laurent","Girard","Rousseau","Fontaine","Rossi","Russo",
 "Ferrari","Esposito","Bianchi","Silva","Santos","Oliveira","Gonçalves","Jensen","Nielsen",
 "Hansen","Andersson","Johansson","Lindqvist","de Vries","van Dijk","Bakker","Visser","Kowalski",
 "Nowak","Wiśniewski","Ivanova","Petrov","Patel","Sharma","Singh","Gupta","Iyer","Reddy","Tanaka",
 "Suzuki","Takahashi","Watanabe","Sato","Wang","Li","Zhang","Chen","Liu","Kim","Park","Nguyen",
 "O''Brien","Murphy","Kelly","Byrne","Haddad","Khalil","Mensah","Okafor","Adeyemi"]');

-- E-mail addresses need plain ASCII: "Müller" -> "mueller", "Zoë" -> "zoe", "O'Brien" -> "obrien".
UPDATE _first_name SET ascii = name;
UPDATE _last_name SET ascii = name;
CREATE TEMP TABLE _translit(i INTEGER PRIMARY KEY, f TEXT, t TEXT);
INSERT INTO _translit(i, f, t) SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]')
FROM json_each('[["ä","ae"],["ö","oe"],["ü","ue"],["Ä","Ae"],["Ö","Oe"],["Ü","Ue"],["ß","ss"],
 ["é","e"],["è","e"],["ê","e"],["ë","e"],["É","E"],["á","a"],["à","a"],["â","a"],["ã","a"],
 ["å","a"],["Å","A"],["í","i"],["ï","i"],["ó","o"],["ô","o"],["õ","o"],["ø","oe"],["Ø","Oe"],
 ["ú","u"],["ç","c"],["ñ","n"],["ś","s"],["ł","l"],["''",""],[" ",""],["-",""]]');
UPDATE _first_name SET ascii = (
  WITH RECURSIVE r(k, s) AS (
    SELECT 0, _first_name.name
    UNION ALL
    SELECT k + 1, replace(s, (SELECT f FROM _translit WHERE i = k), (SELECT t FROM _translit WHERE i = k))
    FROM r WHERE k <= (SELECT max(i) FROM _translit))
  SELECT lower(s) FROM r ORDER BY k DESC LIMIT 1);
UPDATE _last_name SET ascii = (
  WITH RECURSIVE r(k, s) AS (
    SELECT 0, _last_name.name
    UNION ALL
    SELECT k + 1, replace(s, (SELECT f FROM _translit WHERE i = k), (SELECT t FROM _translit WHERE i = k))
    FROM r WHERE k <= (SELECT max(i) FROM _translit))
  SELECT lower(s) FROM r ORDER BY k DESC LIMIT 1);

CREATE TEMP TABLE _word1(i INTEGER PRIMARY KEY, word TEXT NOT NULL);
INSERT INTO _word1(i, word) SELECT key, value FROM json_each('[
 "Acorn","Apex","Arrow","Aspen","Atlas","Beacon","Birch","Bluefin","Brightwater","Cedar","Cobalt",
 "Copper","Crescent","Crystal","Delta","Driftwood","Ember","Evergreen","Falcon","Fernwood",
 "Granite","Harbor","Horizon","Ironclad","Juniper","Keystone","Lantern","Maple","Meridian",
 "Nimbus","Northwind","Oakridge","Onyx","Orbit","Pinecrest","Pioneer","Quartz","Ravenwood",
 "Redwood","Riverstone","Sagebrush","Silverline","Skylark","Slate","Sterling","Summit","Tidewater",
 "Vertex","Willow","Zenith"]');

CREATE TEMP TABLE _word2(i INTEGER PRIMARY KEY, word TEXT NOT NULL, industry TEXT NOT NULL);
INSERT INTO _word2(i, word, industry)
SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each('[
 ["Analytics","Software"],["Software","Software"],["Cloud","Software"],
 ["Digital","Marketing & Advertising"],["Media","Media & Entertainment"],
 ["Studios","Media & Entertainment"],["Systems","Information Technology"],
 ["Networks","Telecommunications"],["Telecom","Telecommunications"],["Labs","Biotechnology"],
 ["Bio","Biotechnology"],["Health","Healthcare"],["Care","Healthcare"],
 ["Pharma","Pharmaceuticals"],["Logistics","Transportation & Logistics"],
 ["Freight","Transportation & Logistics"],["Foods","Food & Beverage"],
 ["Brewing","Food & Beverage"],["Robotics","Manufacturing"],["Manufacturing","Manufacturing"],
 ["Works","Manufacturing"],["Energy","Energy"],["Power","Energy"],
 ["Capital","Financial Services"],["Finance","Financial Services"],["Insurance","Insurance"],
 ["Partners","Professional Services"],["Consulting","Professional Services"],
 ["Legal","Legal Services"],["Learning","Education"],["Academy","Education"],["Retail","Retail"],
 ["Outfitters","Retail"],["Travel","Travel & Hospitality"],["Hotels","Travel & Hospitality"],
 ["Motors","Automotive"],["Realty","Real Estate"],["Security","Security"]]');

-- Country, share of accounts (percent, sums to 100), international dialling code.
CREATE TEMP TABLE _country(i INTEGER PRIMARY KEY, name TEXT NOT NULL, pct INTEGER, cc TEXT, cum INTEGER);
INSERT INTO _country(i, name, pct, cc)
SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
FROM json_each('[["United States",34,"1"],["United Kingdom",12,"44"],["Germany",10,"49"],
 ["France",7,"33"],["Canada",6,"1"],["Netherlands",5,"31"],["Australia",5,"61"],["Spain",4,"34"],
 ["Brazil",4,"55"],["India",4,"91"],["Sweden",3,"46"],["Japan",3,"81"],["Ireland",2,"353"],
 ["Singapore",1,"65"]]');
UPDATE _country SET cum = (SELECT sum(c2.pct) FROM _country c2 WHERE c2.i <= _country.i);

CREATE TEMP TABLE _title(i INTEGER PRIMARY KEY, title TEXT NOT NULL);
INSERT INTO _title(i, title) SELECT key, value FROM json_each('[
 "Data Analyst","Senior Data Analyst","Analytics Engineer","Data Engineer","Business Analyst",
 "Marketing Manager","Growth Marketer","Marketing Operations Manager","Sales Operations Manager",
 "Account Executive","Sales Development Representative","Customer Success Manager",
 "Support Team Lead","Product Manager","Software Engineer","Finance Manager",
 "Revenue Operations Manager","Operations Analyst","IT Administrator","Office Manager",
 "Head of Data","Head of Customer Success","Head of Operations","VP of Sales","VP of Marketing",
 "Director of Finance","CTO","CFO","COO","CEO"]');

-- Acme's own sales team; the first three handle enterprise accounts.
CREATE TEMP TABLE _rep(i INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO _rep(i, email) SELECT key, value FROM json_each('[
 "dana.whitfield@acme.example","marcus.oyelaran@acme.example","sofia.lindgren@acme.example",
 "raj.mehta@acme.example","claire.dubois@acme.example","tom.becker@acme.example",
 "elena.rossi@acme.example","sam.nakamura@acme.example"]');

CREATE TEMP TABLE _subject(i INTEGER PRIMARY KEY, subject TEXT NOT NULL);
INSERT INTO _subject(i, subject) SELECT key, value FROM json_each('[
 "Dashboard loads very slowly","Data not refreshing since yesterday","Error 500 when creating a report",
 "API returns 429 Too Many Requests","SSO login fails for new users","Scheduled report was not delivered",
 "Chart shows wrong totals","Salesforce integration disconnected","Export to CSV times out",
 "Webhook deliveries failing","Permission error on a shared dashboard","Timezone wrong in exports",
 "Cannot invite a teammate","Password reset e-mail not received","Account locked after failed logins",
 "Question about our invoice","Please update our billing address","How do I add more seats?",
 "Need help with API authentication","Feature request: Slack alerts","Feature request: dark mode",
 "How do I build a cohort report?","GDPR data deletion request","Can we change our plan?"]');

-- Day numbers: d = 0 is 2026-10-31, the last full day before the reference date 2026-11-01.
CREATE TEMP TABLE _days(d INTEGER PRIMARY KEY, dt TEXT NOT NULL);
INSERT INTO _days(d, dt)
WITH RECURSIVE n(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM n WHERE d < 3000)
SELECT d, date('2026-11-01', printf('-%d days', d + 1)) FROM n;

CREATE TEMP TABLE _n(k INTEGER PRIMARY KEY);
INSERT INTO _n(k)
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 5000) SELECT k FROM n;

-- ---------------------------------------------------------------------------------------------
-- Accounts: unique names from word pairs shuffled by hash, then hidden behaviour per account.
-- ---------------------------------------------------------------------------------------------

CREATE TEMP TABLE _acc AS
WITH combo AS (
  SELECT w1.i AS w1, w2.i AS w2, w1.i * 100 + w2.i + 1 AS x FROM _word1 w1, _word2 w2),
mixed AS MATERIALIZED (
  SELECT w1, w2, (c | (c >> 13)) - (c & (c >> 13)) AS h FROM (
    SELECT w1, w2, (((a | (a >> 16)) - (a & (a >> 16))) * 1597334677) % 4294967296 AS c FROM (
      SELECT w1, w2, (x * 2654435761) % 4294967296 AS a FROM combo)))
SELECT row_number() OVER (ORDER BY h, w1, w2) AS account_id, w1, w2
FROM mixed ORDER BY h, w1, w2 LIMIT 1200;

CREATE TEMP TABLE _a AS
WITH mixed AS MATERIALIZED (
  SELECT account_id, w1, w2, (c | (c >> 13)) - (c & (c >> 13)) AS h FROM (
    SELECT account_id, w1, w2, (((a | (a >> 16)) - (a & (a >> 16))) * 1597334677) % 4294967296 AS c FROM (
      SELECT account_id, w1, w2, ((account_id + 100000) * 2654435761) % 4294967296 AS a FROM _acc))),
r AS (
  SELECT account_id, w1, w2, h,
         h * 1103515245 % 4294967296 * 100 >> 32 AS r_country,
         h * 2028178513 % 4294967296 * 100 >> 32 AS r_size,
         h * 1779033703 % 4294967296 * 100 >> 32 AS r_plan,
         h * 1013904223 % 4294967296 * 100 >> 32 AS r_arch,
         h * 1500450271 % 4294967296 * 100 >> 32 AS r_api,
         h * 1234567891 % 4294967296 * 100 >> 32 AS r_pastdue,
         h * 2038074743 % 4294967296 * 100 >> 32 AS r_lowhealth,
         h * 1442695041 % 4294967296 * 100 >> 32 AS r_email,
         h * 1327217885 % 4294967296 * 100 >> 32 AS r_storm
  FROM mixed),
b AS (
  SELECT r.*,
         CASE WHEN r_size < 22 THEN 0 WHEN r_size < 50 THEN 1 WHEN r_size < 75 THEN 2
              WHEN r_size < 90 THEN 3 WHEN r_size < 97 THEN 4 ELSE 5 END AS bucket
  FROM r),
p AS (
  SELECT b.*,
         CASE
           WHEN r_plan < (CASE bucket WHEN 0 THEN 45 WHEN 1 THEN 30 WHEN 2 THEN 18 WHEN 3 THEN 8 ELSE 4 END) THEN 'free'
           WHEN r_plan < (CASE bucket WHEN 0 THEN 85 WHEN 1 THEN 70 WHEN 2 THEN 45 WHEN 3 THEN 25 ELSE 12 END) THEN 'starter'
           WHEN r_plan < (CASE bucket WHEN 0 THEN 100 WHEN 1 THEN 97 WHEN 2 THEN 85 WHEN 3 THEN 65 ELSE 45 END) THEN 'growth'
           ELSE 'enterprise' END AS plan
  FROM b)
SELECT p.*,
       CASE
         WHEN plan = 'free' THEN 'free'
         WHEN r_arch < 4 AND plan IN ('starter', 'growth') THEN 'trialing'
         WHEN r_arch >= 4 AND r_arch < 9 THEN 'churned'
         WHEN r_arch >= 9 AND r_arch < 22 THEN 'declining'
         WHEN r_arch >= 22 AND r_arch < 36 THEN 'growing'
         ELSE 'stable' END AS archetype
FROM p;

-- Sizes, behaviour and money. Integer arithmetic throughout so every build is bit-identical.
ALTER TABLE _a ADD COLUMN country TEXT;
ALTER TABLE _a ADD COLUMN cc TEXT;
ALTER TABLE _a ADD COLUMN employees INTEGER;
ALTER TABLE _a ADD COLUMN api_heavy INTEGER;
ALTER TABLE _a ADD COLUMN past_due INTEGER;
ALTER TABLE _a ADD COLUMN age INTEGER;          -- days between creation and 2026-10-31
ALTER TABLE _a ADD COLUMN cancel_days INTEGER;  -- churned: days ago the subscription ended
ALTER TABLE _a ADD COLUMN n_contacts INTEGER;
ALTER TABLE _a ADD COLUMN n_users INTEGER;      -- contacts who use the product
ALTER TABLE _a ADD COLUMN seats INTEGER;
ALTER TABLE _a ADD COLUMN mrr REAL;
ALTER TABLE _a ADD COLUMN health INTEGER;
ALTER TABLE _a ADD COLUMN rep INTEGER;
ALTER TABLE _a ADD COLUMN c_start INTEGER;      -- contact ids of this account are c_start+1 ..

UPDATE _a SET
  country = (SELECT name FROM _country WHERE cum > r_country ORDER BY i LIMIT 1),
  cc = (SELECT cc FROM _country WHERE cum > r_country ORDER BY i LIMIT 1),
  employees = CASE bucket
    WHEN 0 THEN 2 + (h * 1876543211 % 4294967296 * 9 >> 32)
    WHEN 1 THEN 11 + (h * 1876543211 % 4294967296 * 40 >> 32)
    WHEN 2 THEN 51 + (h * 1876543211 % 4294967296 * 150 >> 32)
    WHEN 3 THEN 201 + (h * 1876543211 % 4294967296 * 800 >> 32)
    WHEN 4 THEN 1001 + (h * 1876543211 % 4294967296 * 4000 >> 32)
    ELSE 5001 + (h * 1876543211 % 4294967296 * 20000 >> 32) END,
  api_heavy = (r_api < 11 AND archetype NOT IN ('churned', 'trialing')),
  past_due = (archetype IN ('stable', 'growing', 'declining')
              AND r_pastdue < (CASE archetype WHEN 'declining' THEN 15 ELSE 4 END)),
  age = CASE archetype WHEN 'trialing' THEN 3 + (h * 1372383749 % 4294967296 * 23 >> 32)
                       ELSE 185 + (h * 1372383749 % 4294967296 * 2640 >> 32) END,
  cancel_days = CASE archetype WHEN 'churned' THEN 61 + (h * 1190494759 % 4294967296 * 90 >> 32) END,
  n_contacts = CASE bucket
    WHEN 0 THEN 1 + (h * 1935289751 % 4294967296 * 4 >> 32)
    WHEN 1 THEN 3 + (h * 1935289751 % 4294967296 * 8 >> 32)
    WHEN 2 THEN 5 + (h * 1935289751 % 4294967296 * 12 >> 32)
    WHEN 3 THEN 8 + (h * 1935289751 % 4294967296 * 18 >> 32)
    WHEN 4 THEN 12 + (h * 1935289751 % 4294967296 * 24 >> 32)
    ELSE 15 + (h * 1935289751 % 4294967296 * 26 >> 32) END,
  rep = CASE WHEN plan = 'enterprise' THEN h * 1460167099 % 4294967296 * 3 >> 32
             ELSE 3 + (h * 1460167099 % 4294967296 * 5 >> 32) END,
  health = CASE archetype
    WHEN 'stable' THEN CASE WHEN r_lowhealth < 7 THEN 22 + (h * 1257016727 % 4294967296 * 17 >> 32)
                            ELSE 55 + (h * 1257016727 % 4294967296 * 41 >> 32) END
    WHEN 'growing' THEN 72 + (h * 1257016727 % 4294967296 * 28 >> 32)
    WHEN 'declining' THEN 18 + (h * 1257016727 % 4294967296 * 40 >> 32)
    WHEN 'churned' THEN 5 + (h * 1257016727 % 4294967296 * 25 >> 32)
    WHEN 'trialing' THEN 50 + (h * 1257016727 % 4294967296 * 35 >> 32)
    ELSE 35 + (h * 1257016727 % 4294967296 * 50 >> 32) END;

UPDATE _a SET n_users = CASE
  WHEN plan = 'free' THEN min(n_contacts, 1 + (h * 1597463007 % 4294967296 * 3 >> 32))
  ELSE max(1, n_contacts * (55 + (h * 1597463007 % 4294967296 * 36 >> 32)) / 100) END;

-- Growing accounts use (nearly) every seat; everyone else has 15-100 % headroom.
UPDATE _a SET seats = CASE
  WHEN plan = 'free' THEN NULL
  WHEN archetype = 'growing' THEN n_users + (CASE WHEN n_users >= 10 THEN h * 1812433253 % 4294967296 * 2 >> 32 ELSE 0 END)
  WHEN plan = 'enterprise' THEN max(20, n_users * (115 + (h * 1812433253 % 4294967296 * 90 >> 32)) / 100 + 1)
  ELSE n_users * (115 + (h * 1812433253 % 4294967296 * 90 >> 32)) / 100 + 1 END;

UPDATE _a SET mrr = CASE plan
  WHEN 'free' THEN 0.0
  WHEN 'starter' THEN seats * 15.0
  WHEN 'growth' THEN round(seats * 39.0 * (100 - 10 * (h * 1566083941 % 4294967296 * 2 >> 32)) / 100.0, 2)
  ELSE max(1500.0, round(seats * 89.0 * (100 - 5 * (h * 1566083941 % 4294967296 * 7 >> 32)) / 100.0, 2)) END;

UPDATE _a SET c_start = w.s FROM (
  SELECT account_id, sum(n_contacts) OVER (ORDER BY account_id) - n_contacts AS s FROM _a) w
WHERE w.account_id = _a.account_id;
CREATE UNIQUE INDEX temp._a_id ON _a(account_id);

-- Monthly activity levels (per 30 days) and the shape of the last 60 days.
ALTER TABLE _a ADD COLUMN domain TEXT;
ALTER TABLE _a ADD COLUMN login_m INTEGER;
ALTER TABLE _a ADD COLUMN other_m INTEGER;
ALTER TABLE _a ADD COLUMN api_m INTEGER;
ALTER TABLE _a ADD COLUMN noise0 INTEGER;
ALTER TABLE _a ADD COLUMN noise1 INTEGER;
ALTER TABLE _a ADD COLUMN noise2 INTEGER;
ALTER TABLE _a ADD COLUMN drop_pct INTEGER;     -- declining: last 30 days as % of the month before
ALTER TABLE _a ADD COLUMN pool2 INTEGER;        -- users still active in the last 30 days
ALTER TABLE _a ADD COLUMN n_open INTEGER;       -- open support tickets
ALTER TABLE _a ADD COLUMN n_hist INTEGER;       -- resolved support tickets
ALTER TABLE _a ADD COLUMN storm INTEGER;        -- a healthy account with a burst of urgent tickets
ALTER TABLE _a ADD COLUMN t_start INTEGER;      -- tickets generated before this account

UPDATE _a SET
  domain = (SELECT lower(w1.word || w2.word) || '.example' FROM _word1 w1, _word2 w2
            WHERE w1.i = _a.w1 AND w2.i = _a.w2),
  login_m = max(1, n_users * (70 + (h * 1664525013 % 4294967296 * 120 >> 32)) / 100),
  other_m = max(1, n_users * (100 + (h * 1103515247 % 4294967296 * 140 >> 32)) / 100),
  api_m = CASE
    WHEN api_heavy THEN 15 + (h * 1201272833 % 4294967296 * 25 >> 32)
    WHEN plan = 'free' THEN 0
    WHEN (h * 1201272833 % 4294967296 * 100 >> 32) < 35 THEN 0
    ELSE 1 + (h * 1201272833 % 4294967296 * 8 >> 32) END,
  noise0 = 90 + (h * 1404697843 % 4294967296 * 21 >> 32),
  noise1 = 90 + (h * 1732073013 % 4294967296 * 21 >> 32),
  noise2 = 90 + (h * 1852349777 % 4294967296 * 21 >> 32),
  drop_pct = 15 + (h * 1948709291 % 4294967296 * 31 >> 32),
  pool2 = CASE WHEN archetype = 'declining'
               THEN max(1, n_users * (30 + (h * 1629786473 % 4294967296 * 31 >> 32)) / 100)
               ELSE n_users END,
  storm = (archetype = 'stable' AND r_storm < 3);

UPDATE _a SET
  n_open = CASE
    WHEN archetype = 'churned' THEN 0
    WHEN archetype = 'declining' THEN CASE WHEN (h * 1780377953 % 4294967296 * 100 >> 32) < 75
                                           THEN 2 + (h * 1557907183 % 4294967296 * 3 >> 32)
                                           ELSE h * 1557907183 % 4294967296 * 2 >> 32 END
    WHEN storm THEN 2 + (h * 1557907183 % 4294967296 * 2 >> 32)
    WHEN (h * 1780377953 % 4294967296 * 100 >> 32) < (CASE plan WHEN 'free' THEN 8 ELSE 25 END) THEN 1
    ELSE 0 END,
  n_hist = CASE
    WHEN archetype = 'trialing' THEN 0
    WHEN plan = 'free' THEN h * 1411290433 % 4294967296 * 3 >> 32
    ELSE n_users * (25 + (h * 1411290433 % 4294967296 * 50 >> 32)) / 100
         + (h * 1367130551 % 4294967296 * 2 >> 32) END;
UPDATE _a SET t_start = w.s FROM (
  SELECT account_id, sum(n_open + n_hist) OVER (ORDER BY account_id) - n_open - n_hist AS s FROM _a) w
WHERE w.account_id = _a.account_id;

-- ---------------------------------------------------------------------------------------------
-- The warehouse tables
-- ---------------------------------------------------------------------------------------------

CREATE TABLE acme_info (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO acme_info(key, value) VALUES
  ('company', 'Acme, a fictional B2B SaaS analytics company. All names, domains and numbers are made up.'),
  ('reference_date', '2026-11-01'),
  ('about_dates', 'Data is frozen at the reference date: "last 30 days" means 2026-10-02 to 2026-10-31, "previous 30 days" 2026-09-02 to 2026-10-01.');

CREATE TABLE accounts (
  account_id   INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  domain       TEXT NOT NULL UNIQUE,
  industry     TEXT NOT NULL,
  country      TEXT NOT NULL,
  employees    INTEGER NOT NULL,
  plan         TEXT NOT NULL CHECK (plan IN ('free', 'starter', 'growth', 'enterprise')),
  mrr          REAL NOT NULL,                -- monthly recurring revenue in USD; 0 unless paying
  created_at   TEXT NOT NULL,                -- ISO date
  owner_email  TEXT NOT NULL,                -- the Acme sales rep who owns the account
  health_score INTEGER NOT NULL CHECK (health_score BETWEEN 0 AND 100)
);

INSERT INTO accounts(account_id, name, domain, industry, country, employees, plan, mrr, created_at,
                     owner_email, health_score)
SELECT a.account_id, w1.word || ' ' || w2.word, a.domain, w2.industry, a.country, a.employees,
       a.plan, CASE WHEN a.archetype IN ('churned', 'trialing') THEN 0.0 ELSE a.mrr END,
       (SELECT dt FROM _days WHERE d = a.age), (SELECT email FROM _rep WHERE i = a.rep), a.health
FROM _a a JOIN _word1 w1 ON w1.i = a.w1 JOIN _word2 w2 ON w2.i = a.w2
ORDER BY a.account_id;

CREATE TABLE contacts (
  contact_id       INTEGER PRIMARY KEY,
  account_id       INTEGER NOT NULL REFERENCES accounts(account_id),
  first_name       TEXT NOT NULL,
  last_name        TEXT NOT NULL,
  email            TEXT NOT NULL UNIQUE,
  title            TEXT,
  phone            TEXT,
  country          TEXT NOT NULL,
  lifecycle_stage  TEXT NOT NULL CHECK (lifecycle_stage IN ('subscriber', 'lead', 'mql', 'sql', 'customer')),
  marketing_opt_in INTEGER NOT NULL CHECK (marketing_opt_in IN (0, 1)),
  created_at       TEXT NOT NULL,            -- ISO date-time (UTC)
  last_seen_at     TEXT                      -- last product event; NULL if never seen
);

-- Contacts 1..n_users of each account are its product users; the rest are other people there.
INSERT INTO contacts(contact_id, account_id, first_name, last_name, email, title, phone, country,
                     lifecycle_stage, marketing_opt_in, created_at)
WITH base AS (
  SELECT a.account_id, a.c_start + n.k AS contact_id, n.k AS pos, a.n_users, a.plan, a.archetype,
         a.age, a.country, a.cc, a.r_email, a.domain
  FROM _a a JOIN _n n ON n.k <= a.n_contacts),
mixed AS MATERIALIZED (
  SELECT base.*, (c | (c >> 13)) - (c & (c >> 13)) AS h FROM (
    SELECT base.*, (((a | (a >> 16)) - (a & (a >> 16))) * 1597334677) % 4294967296 AS c FROM (
      SELECT base.*, ((contact_id + 200000) * 2654435761) % 4294967296 AS a FROM base) base) base),
r AS (
  SELECT m.*,
         h * 1103515245 % 4294967296 * (SELECT count(*) FROM _first_name) >> 32 AS fn,
         h * 2028178513 % 4294967296 * (SELECT count(*) FROM _last_name) >> 32 AS ln,
         h * 1779033703 % 4294967296 * 100 >> 32 AS r_stage,
         h * 1013904223 % 4294967296 * 100 >> 32 AS r_optin,
         h * 1500450271 % 4294967296 * 100 >> 32 AS r_country,
         h * 1234567891 % 4294967296 * 100 >> 32 AS r_phone,
         h * 2038074743 % 4294967296 * 1000 >> 32 AS r_dirty,
         h * 1442695041 % 4294967296 * 100 >> 32 AS r_title,
         h * 1327217885 % 4294967296 AS u1,
         h * 1876543211 % 4294967296 AS u2,
         h * 1372383749 % 4294967296 AS u3
  FROM mixed m),
c AS (
  SELECT r.contact_id, r.account_id, r.domain,
         f.name AS first_name, l.name AS last_name,
         CASE WHEN r.r_email < 60 THEN f.ascii || '.' || l.ascii
              WHEN r.r_email < 88 THEN substr(f.ascii, 1, 1) || l.ascii
              ELSE f.ascii END AS local_part,
         CASE WHEN r.pos = 1 OR r.r_title < 8 THEN (SELECT title FROM _title WHERE i = 20 + (r.u1 * 10 >> 32))
              WHEN r.r_title < 12 THEN NULL
              ELSE (SELECT title FROM _title WHERE i = r.u1 * 20 >> 32) END AS title,
         CASE WHEN r.r_phone < 9 THEN NULL
              WHEN r.cc = '1' THEN printf('+1 %03d 555 %04d', 201 + (r.u2 * 700 >> 32), 100 + (r.u3 * 100 >> 32))
              ELSE printf('+%s %d %03d %04d', r.cc, 20 + (r.u2 * 79 >> 32), r.u3 * 1000 >> 32, r.u1 % 10000) END AS phone,
         CASE WHEN r.r_country < 90 THEN r.country
              ELSE (SELECT name FROM _country WHERE cum > (r.u2 * 100 >> 32) ORDER BY i LIMIT 1) END AS country,
         CASE
           WHEN r.pos <= r.n_users AND r.plan <> 'free' THEN 'customer'
           WHEN r.pos <= r.n_users THEN CASE WHEN r.r_stage < 40 THEN 'mql' WHEN r.r_stage < 65 THEN 'sql' ELSE 'lead' END
           WHEN r.plan <> 'free' THEN CASE WHEN r.r_stage < 15 THEN 'subscriber' WHEN r.r_stage < 40 THEN 'lead'
                                           WHEN r.r_stage < 62 THEN 'mql' WHEN r.r_stage < 77 THEN 'sql' ELSE 'customer' END
           ELSE CASE WHEN r.r_stage < 35 THEN 'subscriber' WHEN r.r_stage < 70 THEN 'lead'
                     WHEN r.r_stage < 90 THEN 'mql' ELSE 'sql' END END AS lifecycle_stage,
         r.r_optin, r.r_dirty,
         -- Product users joined in the account's first month (never inside the 180-day event
         -- window), or on the first day of a trial.
         CASE WHEN r.pos <= r.n_users AND r.archetype = 'trialing' THEN r.age
              WHEN r.pos <= r.n_users THEN r.age - (r.u3 * min(30, r.age - 181) >> 32)
              ELSE r.u3 * (r.age + 1) >> 32 END AS created_day,
         printf(' %02d:%02d:%02d', 8 + (r.u1 * 10 >> 32), r.u2 % 60, r.u3 % 60) AS created_time
  FROM r JOIN _first_name f ON f.i = r.fn JOIN _last_name l ON l.i = r.ln)
SELECT contact_id, account_id,
       -- A few names carry a stray trailing space, as hand-typed CRM data does.
       CASE WHEN r_dirty < 15 THEN first_name || ' ' ELSE first_name END,
       last_name,
       local_part
         || CASE WHEN row_number() OVER (PARTITION BY account_id, local_part ORDER BY contact_id) > 1
                 THEN row_number() OVER (PARTITION BY account_id, local_part ORDER BY contact_id) ELSE '' END
         || '@' || domain,
       title, phone, country, lifecycle_stage,
       CASE WHEN r_optin < (CASE lifecycle_stage WHEN 'subscriber' THEN 85 ELSE 55 END) THEN 1 ELSE 0 END,
       (SELECT dt FROM _days WHERE d = created_day) || created_time
FROM c ORDER BY contact_id;

CREATE TABLE subscriptions (
  subscription_id INTEGER PRIMARY KEY,
  account_id      INTEGER NOT NULL REFERENCES accounts(account_id),
  plan            TEXT NOT NULL CHECK (plan IN ('starter', 'growth', 'enterprise')),
  seats           INTEGER NOT NULL,
  mrr             REAL NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('active', 'past_due', 'canceled', 'trialing')),
  started_at      TEXT NOT NULL,             -- ISO date
  renews_at       TEXT,                      -- next renewal; NULL once canceled
  canceled_at     TEXT                       -- NULL unless canceled
);

-- Paying accounts get their current subscription; about a third of the older ones also have the
-- smaller plan they upgraded from.
INSERT INTO subscriptions(subscription_id, account_id, plan, seats, mrr, status, started_at,
                          renews_at, canceled_at)
WITH s0 AS (
  SELECT a.*,
         (h * 1640531527 % 4294967296 * 100 >> 32) < 35 AND age > 400 AND archetype <> 'trialing' AS has_prev,
         185 + (h * 1013904221 % 4294967296 * max(1, age - 305) >> 32) AS switch_day
  FROM _a a WHERE plan <> 'free'),
s AS (
  -- previous, upgraded-from subscription
  SELECT account_id, 0 AS seq,
         CASE plan WHEN 'enterprise' THEN 'growth' ELSE 'starter' END AS plan,
         max(1, seats * 60 / 100) AS seats,
         CASE plan WHEN 'enterprise' THEN max(1, seats * 60 / 100) * 39.0
                   ELSE max(1, seats * 60 / 100) * 15.0 END AS mrr,
         'canceled' AS status, age AS start_day, NULL AS renew_kind, switch_day AS cancel_day
  FROM s0 WHERE has_prev
  UNION ALL
  -- current subscription
  SELECT account_id, 1, plan, seats,
         CASE WHEN archetype = 'trialing' THEN 0.0 ELSE mrr END,
         CASE WHEN archetype = 'trialing' THEN 'trialing' WHEN archetype = 'churned' THEN 'canceled'
              WHEN past_due THEN 'past_due' ELSE 'active' END,
         CASE WHEN has_prev THEN switch_day ELSE age END,
         CASE WHEN archetype = 'trialing' THEN 'trial' WHEN archetype = 'churned' THEN NULL
              WHEN plan = 'enterprise' THEN 'yearly' ELSE 'monthly' END,
         CASE WHEN archetype = 'churned' THEN cancel_days END
  FROM s0),
d AS (
  SELECT s.*, (SELECT dt FROM _days WHERE d = s.start_day) AS started_at FROM s)
SELECT row_number() OVER (ORDER BY started_at, account_id, seq), account_id, plan, seats, mrr, status,
       started_at,
       CASE renew_kind
         WHEN 'trial' THEN date(started_at, '+30 days')
         -- the first anniversary on or after the reference date
         WHEN 'monthly' THEN date(started_at, printf('+%d months',
              (2026 - CAST(substr(started_at, 1, 4) AS INTEGER)) * 12 + 11 - CAST(substr(started_at, 6, 2) AS INTEGER)))
         WHEN 'yearly' THEN CASE
              WHEN substr(started_at, 6) >= '11-01' THEN date(started_at, printf('+%d years', 2026 - CAST(substr(started_at, 1, 4) AS INTEGER)))
              ELSE date(started_at, printf('+%d years', 2027 - CAST(substr(started_at, 1, 4) AS INTEGER))) END
       END,
       (SELECT dt FROM _days WHERE d = cancel_day)
FROM d ORDER BY 1;

CREATE TABLE events (
  event_id    INTEGER PRIMARY KEY,
  contact_id  INTEGER REFERENCES contacts(contact_id),
  account_id  INTEGER NOT NULL REFERENCES accounts(account_id),
  event_type  TEXT NOT NULL,
  occurred_at TEXT NOT NULL,                 -- ISO date-time (UTC)
  properties  TEXT NOT NULL                  -- small JSON object, depends on event_type
);

-- Activity comes in segments: (account, period, kind) with a planned number of events, so the
-- month-over-month trend of each account is exactly what its archetype says.
-- Periods: 0 = 60..179 days ago, 1 = previous 30 days (30..59), 2 = last 30 days (0..29).
CREATE TEMP TABLE _seg AS
WITH kinds(kind) AS (SELECT value FROM json_each('["api","login","other"]')),
periods(period) AS (SELECT value FROM json_each('[0,1,2]')),
raw AS (
  SELECT a.account_id, a.c_start, p.period, k.kind,
         CASE WHEN p.period = 0 AND a.archetype = 'churned' THEN a.cancel_days
              WHEN p.period = 0 THEN 60 WHEN p.period = 1 THEN 30 ELSE 0 END AS day_lo,
         CASE WHEN p.period = 0 AND a.archetype = 'churned' THEN 180 - a.cancel_days
              WHEN p.period = 0 THEN 120
              WHEN p.period = 2 AND a.archetype = 'trialing' THEN a.age
              ELSE 30 END AS span,
         CASE k.kind WHEN 'login' THEN a.login_m WHEN 'other' THEN a.other_m ELSE a.api_m END
           * CASE p.period
               WHEN 0 THEN CASE a.archetype WHEN 'trialing' THEN 0
                                            WHEN 'churned' THEN (180 - a.cancel_days) * 70 / 30
                                            WHEN 'growing' THEN 280 * a.noise0 / 100
                                            ELSE 4 * a.noise0 END
               WHEN 1 THEN CASE a.archetype WHEN 'trialing' THEN 0 WHEN 'churned' THEN 0
                                            WHEN 'growing' THEN 90 * a.noise1 / 100
                                            ELSE a.noise1 END
               ELSE CASE a.archetype WHEN 'churned' THEN 0
                                     WHEN 'trialing' THEN a.age * 120 / 30
                                     WHEN 'growing' THEN 130 * a.noise2 / 100
                                     WHEN 'declining' THEN a.drop_pct
                                     ELSE a.noise2 END END
           / 100 AS n,
         CASE WHEN p.period = 2 THEN a.pool2 ELSE a.n_users END AS pool,
         a.api_heavy
  FROM _a a, periods p, kinds k)
SELECT row_number() OVER (ORDER BY account_id, period, kind) AS seg_id, raw.*,
       sum(n) OVER (ORDER BY account_id, period, kind) - n AS cum_start
FROM raw WHERE n > 0;

INSERT INTO events(event_id, contact_id, account_id, event_type, occurred_at, properties)
WITH ev AS (
  SELECT s.account_id, s.c_start, s.kind, s.day_lo, s.span, s.pool, s.api_heavy, n.k,
         s.cum_start + n.k AS x
  FROM _seg s JOIN _n n ON n.k <= s.n),
mixed AS MATERIALIZED (
  SELECT ev.*, (c | (c >> 13)) - (c & (c >> 13)) AS h FROM (
    SELECT ev.*, (((a | (a >> 16)) - (a & (a >> 16))) * 1597334677) % 4294967296 AS c FROM (
      SELECT ev.*, ((x + 400000) * 2654435761) % 4294967296 AS a FROM ev) ev) ev),
e AS (
  SELECT m.account_id, m.x, m.kind, m.api_heavy,
         -- every user of the segment shows up at least once, the rest is spread at random
         m.c_start + 1 + CASE WHEN m.k <= m.pool THEN m.k - 1
                              ELSE h * 1103515245 % 4294967296 * m.pool >> 32 END AS contact_id,
         h * 2028178513 % 4294967296 * 100 >> 32 AS r_type,
         m.day_lo + (h * 1779033703 % 4294967296 * m.span >> 32) AS day,
         CASE WHEN (h * 1013904223 % 4294967296 * 100 >> 32) < 85
              THEN 8 + (h * 1500450271 % 4294967296 * 10 >> 32)
              ELSE h * 1500450271 % 4294967296 * 24 >> 32 END AS hour,
         h * 1234567891 % 4294967296 * 3600 >> 32 AS sec,
         h * 1442695041 % 4294967296 AS u1,
         h * 1327217885 % 4294967296 AS u2
  FROM mixed m),
t AS (
  SELECT e.*,
         CASE kind WHEN 'login' THEN 'login' WHEN 'api' THEN 'api_call'
           ELSE CASE WHEN r_type < 45 THEN 'dashboard_viewed' WHEN r_type < 67 THEN 'report_created'
                     WHEN r_type < 82 THEN 'export' WHEN r_type < 88 THEN 'invite_sent'
                     WHEN r_type < 95 THEN 'alert_created' ELSE 'integration_connected' END END AS event_type,
         u1 * 5 >> 32 AS v5, u1 * 4 >> 32 AS v4, u1 * 6 >> 32 AS v6
  FROM e)
SELECT row_number() OVER (ORDER BY day DESC, hour, sec, x), contact_id, account_id, event_type,
       (SELECT dt FROM _days WHERE d = day) || printf(' %02d:%02d:%02d', hour, sec / 60, sec % 60),
       CASE event_type
         WHEN 'login' THEN printf('{"method":"%s","device":"%s"}',
           CASE v5 WHEN 0 THEN 'google' WHEN 1 THEN 'sso' WHEN 2 THEN 'sso' ELSE 'password' END,
           CASE WHEN (u2 * 100 >> 32) < 78 THEN 'desktop' WHEN (u2 * 100 >> 32) < 95 THEN 'mobile' ELSE 'tablet' END)
         WHEN 'dashboard_viewed' THEN printf('{"dashboard_id":%d,"seconds":%d}', 1 + (u1 * 40 >> 32), 5 + (u2 * 600 >> 32))
         WHEN 'report_created' THEN printf('{"report_id":%d,"template":"%s"}', 1000 + (x % 9000),
           CASE v6 WHEN 0 THEN 'revenue' WHEN 1 THEN 'pipeline' WHEN 2 THEN 'churn'
                   WHEN 3 THEN 'cohort' WHEN 4 THEN 'funnel' ELSE 'custom' END)
         WHEN 'export' THEN printf('{"format":"%s","rows":%d}',
           CASE v4 WHEN 0 THEN 'xlsx' WHEN 1 THEN 'pdf' ELSE 'csv' END, 10 + (u2 * 50000 >> 32))
         WHEN 'invite_sent' THEN printf('{"role":"%s"}',
           CASE v4 WHEN 0 THEN 'admin' WHEN 1 THEN 'editor' ELSE 'viewer' END)
         WHEN 'alert_created' THEN printf('{"metric":"%s"}',
           CASE v5 WHEN 0 THEN 'mrr' WHEN 1 THEN 'signups' WHEN 2 THEN 'churn' WHEN 3 THEN 'nps' ELSE 'pipeline' END)
         WHEN 'integration_connected' THEN printf('{"integration":"%s"}',
           CASE v5 WHEN 0 THEN 'salesforce' WHEN 1 THEN 'hubspot' WHEN 2 THEN 'slack'
                   WHEN 3 THEN 'google_sheets' ELSE 'snowflake' END)
         -- api_call: one row per batch of API traffic (about an hour's worth of requests)
         ELSE printf('{"endpoint":"%s","requests":%d,"errors":%d}',
           CASE v5 WHEN 0 THEN '/v2/metrics' WHEN 1 THEN '/v2/reports' WHEN 2 THEN '/v2/exports'
                   WHEN 3 THEN '/v2/users' ELSE '/v2/events' END,
           CASE WHEN api_heavy THEN 1500 + (u2 * 2000 >> 32) ELSE 5 + (u2 * 150 >> 32) END,
           CASE WHEN (u1 * 100 >> 32) < 80 THEN 0 ELSE u2 % 7 END)
       END
FROM t;

CREATE TABLE support_tickets (
  ticket_id    INTEGER PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES accounts(account_id),
  contact_id   INTEGER REFERENCES contacts(contact_id),
  subject      TEXT NOT NULL,
  priority     TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status       TEXT NOT NULL CHECK (status IN ('open', 'pending', 'solved', 'closed')),
  created_at   TEXT NOT NULL,                -- ISO date-time (UTC)
  resolved_at  TEXT,                         -- NULL while open or pending
  satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5)  -- CSAT; NULL if not rated
);

-- Per account: n_open unresolved tickets from the last two weeks, then n_hist resolved ones from
-- the past year. Declining accounts and "storms" get mostly high/urgent open tickets.
INSERT INTO support_tickets(ticket_id, account_id, contact_id, subject, priority, status,
                            created_at, resolved_at, satisfaction)
WITH tk AS (
  SELECT a.account_id, a.c_start, a.n_users, a.archetype, a.storm, a.age, a.cancel_days, n.k,
         n.k <= a.n_open AS is_open,
         a.t_start + n.k AS x
  FROM _a a JOIN _n n ON n.k <= a.n_open + a.n_hist),
mixed AS MATERIALIZED (
  SELECT tk.*, (c | (c >> 13)) - (c & (c >> 13)) AS h FROM (
    SELECT tk.*, (((a | (a >> 16)) - (a & (a >> 16))) * 1597334677) % 4294967296 AS c FROM (
      SELECT tk.*, ((x + 600000) * 2654435761) % 4294967296 AS a FROM tk) tk) tk),
r AS (
  SELECT m.*,
         (archetype = 'declining' OR storm) AS troubled,
         h * 1103515245 % 4294967296 * 100 >> 32 AS r_prio,
         h * 2028178513 % 4294967296 * 100 >> 32 AS r_status,
         h * 1779033703 % 4294967296 * 100 >> 32 AS r_rated,
         h * 1013904223 % 4294967296 * 100 >> 32 AS r_csat,
         h * 1500450271 % 4294967296 AS u1,
         h * 1234567891 % 4294967296 AS u2,
         h * 2038074743 % 4294967296 AS u3
  FROM mixed m),
t AS (
  SELECT r.*,
         CASE WHEN is_open AND troubled THEN
                CASE WHEN r_prio < 40 THEN 'urgent' WHEN r_prio < 85 THEN 'high' WHEN r_prio < 95 THEN 'normal' ELSE 'low' END
              ELSE CASE WHEN r_prio < 3 THEN 'urgent' WHEN r_prio < 15 THEN 'high' WHEN r_prio < 65 THEN 'normal' ELSE 'low' END
         END AS priority,
         CASE WHEN is_open THEN u1 * min(14, age) >> 32
              -- resolved tickets come after the users' first month, so their reporter existed
              WHEN archetype = 'churned' THEN cancel_days + (u1 * max(1, min(365, age - 31) - cancel_days) >> 32)
              ELSE 15 + (u1 * max(1, min(365, age - 31) - 15) >> 32) END AS day,
         -- troubled accounts open tickets about things that are broken
         CASE WHEN is_open AND troubled THEN u2 * 12 >> 32
              ELSE u2 * (SELECT count(*) FROM _subject) >> 32 END AS subject_i
  FROM r),
d AS (
  SELECT t.*,
         (SELECT dt FROM _days WHERE d = t.day)
           || printf(' %02d:%02d:%02d', 7 + (u3 * 12 >> 32), u3 % 60, u1 % 60) AS created_at
  FROM t)
SELECT row_number() OVER (ORDER BY created_at, x), account_id,
       c_start + 1 + (u3 * n_users >> 32), (SELECT subject FROM _subject WHERE i = subject_i), priority,
       CASE WHEN is_open THEN CASE WHEN r_status < 60 THEN 'open' ELSE 'pending' END
            WHEN day > 30 THEN 'closed' ELSE 'solved' END,
       created_at,
       CASE WHEN NOT is_open THEN datetime(created_at, printf('+%d minutes',
            20 + (u2 % 997) * (CASE priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 3 ELSE 9 END))) END,
       CASE WHEN NOT is_open AND r_rated < 60 THEN
         CASE WHEN troubled THEN CASE WHEN r_csat < 25 THEN 1 WHEN r_csat < 50 THEN 2 WHEN r_csat < 75 THEN 3 WHEN r_csat < 90 THEN 4 ELSE 5 END
              ELSE CASE WHEN r_csat < 4 THEN 1 WHEN r_csat < 10 THEN 2 WHEN r_csat < 22 THEN 3 WHEN r_csat < 52 THEN 4 ELSE 5 END END
       END
FROM d;

-- ---------------------------------------------------------------------------------------------
-- Indexes for the demo models and for the usual "per account" / "per contact" questions
-- ---------------------------------------------------------------------------------------------

CREATE INDEX idx_contacts_account ON contacts(account_id);
CREATE INDEX idx_subscriptions_account ON subscriptions(account_id, started_at);
CREATE INDEX idx_events_account_time ON events(account_id, occurred_at);
CREATE INDEX idx_events_contact_time ON events(contact_id, occurred_at);
CREATE INDEX idx_tickets_account_status ON support_tickets(account_id, status);

UPDATE contacts SET last_seen_at = (
  SELECT max(e.occurred_at) FROM events e WHERE e.contact_id = contacts.contact_id);

-- ---------------------------------------------------------------------------------------------
-- Views the demo models build on. "Now" is the reference date 2026-11-01 (see acme_info).
-- ---------------------------------------------------------------------------------------------

-- Product usage per account: the last 30 days against the 30 days before.
CREATE VIEW v_account_usage_30d AS
SELECT a.account_id,
       count(CASE WHEN e.event_type = 'login' AND e.occurred_at >= '2026-10-02' THEN 1 END) AS logins_last_30d,
       count(CASE WHEN e.event_type = 'login' AND e.occurred_at < '2026-10-02' THEN 1 END) AS logins_prev_30d,
       count(CASE WHEN e.occurred_at >= '2026-10-02' THEN 1 END) AS events_last_30d,
       count(CASE WHEN e.occurred_at < '2026-10-02' THEN 1 END) AS events_prev_30d,
       count(DISTINCT CASE WHEN e.occurred_at >= '2026-10-02' THEN e.contact_id END) AS active_users_30d,
       count(CASE WHEN e.event_type = 'report_created' AND e.occurred_at >= '2026-10-02' THEN 1 END) AS reports_created_30d,
       coalesce(sum(CASE WHEN e.event_type = 'api_call' AND e.occurred_at >= '2026-10-02'
                         THEN json_extract(e.properties, '$.requests') END), 0) AS api_requests_30d,
       coalesce(sum(CASE WHEN e.event_type = 'api_call' AND e.occurred_at < '2026-10-02'
                         THEN json_extract(e.properties, '$.requests') END), 0) AS api_requests_prev_30d,
       max(e.occurred_at) AS last_event_at
FROM accounts a
LEFT JOIN events e ON e.account_id = a.account_id
                  AND e.occurred_at >= '2026-09-02' AND e.occurred_at < '2026-11-01'
GROUP BY a.account_id;

-- Support load per account.
CREATE VIEW v_account_tickets AS
SELECT a.account_id,
       count(CASE WHEN t.status IN ('open', 'pending') THEN 1 END) AS open_tickets,
       count(CASE WHEN t.status IN ('open', 'pending') AND t.priority IN ('high', 'urgent') THEN 1 END) AS open_urgent_tickets,
       min(CASE WHEN t.status IN ('open', 'pending') THEN t.created_at END) AS oldest_open_ticket_at,
       round(avg(CASE WHEN t.created_at >= '2026-08-03' THEN t.satisfaction END), 2) AS avg_satisfaction_90d
FROM accounts a
LEFT JOIN support_tickets t ON t.account_id = a.account_id
GROUP BY a.account_id;

-- The latest subscription of each paying account (free accounts have none).
CREATE VIEW v_current_subscription AS
SELECT subscription_id, account_id, plan, seats, mrr, status, started_at, renews_at, canceled_at
FROM (SELECT s.*, row_number() OVER (PARTITION BY account_id ORDER BY started_at DESC, subscription_id DESC) AS rn
      FROM subscriptions s)
WHERE rn = 1;

DROP TABLE temp._first_name;
DROP TABLE temp._last_name;
DROP TABLE temp._translit;
DROP TABLE temp._word1;
DROP TABLE temp._word2;
DROP TABLE temp._country;
DROP TABLE temp._title;
DROP TABLE temp._rep;
DROP TABLE temp._subject;
DROP TABLE temp._days;
DROP TABLE temp._n;
DROP TABLE temp._acc;
DROP TABLE temp._a;
DROP TABLE temp._seg;

-- Statistics for the query planner, so the demo models pick the indexes above.
ANALYZE;

COMMIT;
