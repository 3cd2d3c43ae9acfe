# Recursion: building and walking binary trees, placing eight queens, Ackermann's function
# and Euclid's algorithm.
def make_tree(depth):
    if depth == 0:
        return [None, None]
    return [make_tree(depth - 1), make_tree(depth - 1)]
def count_nodes(tree):
    if tree[0] is None:
        return 1
    return 1 + count_nodes(tree[0]) + count_nodes(tree[1])
nodes = 0
for depth, times in [[4, 256], [8, 32], [12, 4], [14, 2]]:
    for i in range(times):
        nodes += count_nodes(make_tree(depth))
def queens(n, row, columns, rising, falling):
    if row == n:
        return 1
    solutions = 0
    for column in range(n):
        if column not in columns and row + column not in rising and row - column not in falling:
            columns.append(column)
            rising.append(row + column)
            falling.append(row - column)
            solutions += queens(n, row + 1, columns, rising, falling)
            columns.pop()
            rising.pop()
            falling.pop()
    return solutions
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))
def gcd(a, b):
    return a if b == 0 else gcd(b, a % b)
divisors = 0
for a in range(1, 300):
    for b in range(1, 100):
        divisors += gcd(a * 7, b * 3)
print(nodes, queens(8, 0, [], [], []), ackermann(2, 200), divisors)
