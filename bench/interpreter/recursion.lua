-- Recursion: building and walking binary trees, placing eight queens, Ackermann's function
-- and Euclid's algorithm.
local function make_tree(depth)
  if depth == 0 then return {} end
  return {make_tree(depth - 1), make_tree(depth - 1)}
end
local function count_nodes(tree)
  if tree[1] == nil then return 1 end
  return 1 + count_nodes(tree[1]) + count_nodes(tree[2])
end
local nodes = 0
for _, pair in ipairs({{4, 256}, {8, 32}, {12, 4}, {14, 2}}) do
  for i = 1, pair[2] do nodes = nodes + count_nodes(make_tree(pair[1])) end
end
local function contains(list, item)
  for i = 1, #list do
    if list[i] == item then return true end
  end
  return false
end
local function queens(n, row, columns, rising, falling)
  if row == n then return 1 end
  local solutions = 0
  for column = 0, n - 1 do
    if not contains(columns, column) and not contains(rising, row + column) and not contains(falling, row - column) then
      columns[#columns + 1] = column
      rising[#rising + 1] = row + column
      falling[#falling + 1] = row - column
      solutions = solutions + queens(n, row + 1, columns, rising, falling)
      columns[#columns] = nil
      rising[#rising] = nil
      falling[#falling] = nil
    end
  end
  return solutions
end
local function ackermann(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ackermann(m - 1, 1) end
  return ackermann(m - 1, ackermann(m, n - 1))
end
local function gcd(a, b)
  if b == 0 then return a end
  return gcd(b, a % b)
end
local divisors = 0
for a = 1, 299 do
  for b = 1, 99 do divisors = divisors + gcd(a * 7, b * 3) end
end
print(nodes, queens(8, 0, {}, {}, {}), ackermann(2, 200), divisors)
