local total = 0
for i = 0, 2999999 do
  local r = i % 3
  if r == 0 then
    total = total + i
  elseif r == 1 then
    total = total - 1
  else
    total = total + 2
  end
end
print(total)
