-- bench.lua: the Lua benchmark: closures, tables, strings, sorting and a little arithmetic.
-- (programs.sh runs: lua DATA/bench.lua N)
local n = tonumber(arg[1]) or 200000

local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end

-- a table of records, sorted with a comparison closure
local seed = 42
local function rand() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end
local recs = {}
for i = 1, n do recs[i] = {key = rand() % 100000, name = "r" .. i} end
table.sort(recs, function(x, y) if x.key ~= y.key then return x.key < y.key end return x.name < y.name end)

-- string building and pattern matching
local parts = {}
for i = 1, n // 4 do parts[#parts + 1] = string.format("%d:%x;", i, i * 31) end
local s = table.concat(parts)
local count, sum = 0, 0
for a, b in s:gmatch("(%d+):(%x+);") do count = count + 1; sum = (sum + tonumber(b, 16)) % 1000000007 end
local up = s:sub(1, 2000):upper():gsub("[AEIOU]", "*")

-- a word-frequency table
local freq = {}
for i = 1, n do local w = "w" .. (rand() % 997) freq[w] = (freq[w] or 0) + 1 end
local words = {}
for w, c in pairs(freq) do words[#words + 1] = w end
table.sort(words, function(x, y) if freq[x] ~= freq[y] then return freq[x] > freq[y] end return x < y end)

print("fib", fib(27))
print("sorted", recs[1].key, recs[n].key, recs[n // 2].name)
print("matched", count, sum, #up)
print("top", words[1], freq[words[1]], #words)
local acc = 0.0
for i = 1, n do acc = acc + math.sqrt(i) / (i % 7 + 1) end
print("float", string.format("%.6f", acc))
