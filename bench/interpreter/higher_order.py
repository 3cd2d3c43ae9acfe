# Closures and higher-order functions: adders, composition, counters that keep state, and
# pipelines of map, filter and reduce with named functions and lambdas.
from functools import reduce
def make_adder(n):
    return lambda x: x + n
def compose(f, g):
    return lambda x: g(f(x))
def twice(f):
    return compose(f, f)
def make_counter():
    count = 0
    def counter(step):
        nonlocal count
        count += step
        return count
    return counter
add3 = make_adder(3)
square = lambda x: x * x
pipeline = compose(twice(add3), square)
total = 0
for i in range(100000):
    total += pipeline(i) % 1000
counters = [make_counter(), make_counter(), make_counter()]
for i in range(60000):
    counters[i % 3](i % 7)
def is_even(x):
    return x % 2 == 0
numbers = list(range(50000))
sums = []
for round_ in range(4):
    scale = make_adder(round_)
    kept = list(map(square, filter(is_even, map(scale, numbers))))
    sums.append(reduce(lambda acc, x: (acc + x) % 1000000007, kept, 0))
longest = reduce(max, map(lambda w: len(w), ["ant", "bee", "caterpillar", "dragonfly"]), 0)
print(total, counters[0](0), counters[1](0), counters[2](0), "[" + ", ".join(str(s) for s in sums) + "]", longest)
