# Slices of a list of 200,000 readings: chunks of a hundred, moving windows of eight,
# heads and tails with negative bounds, and bounds past the end, which clamp.
seed = 11
readings = []
for i in range(200000):
    seed = (seed * 1103515245 + 12345) % 2147483648
    readings.append(seed // 65536 % 1000)
chunk_peaks = 0
for start in range(2000):
    chunk = readings[start * 100:start * 100 + 100]
    chunk_peaks += max(chunk) - chunk[0] + chunk[-1]
alerts = 0
for i in range(len(readings) - 8):
    if sum(readings[i:i + 8]) > 6000:
        alerts += 1
edges = 0
for i in range(20000):
    head = readings[:i % 50]
    tail = readings[-(i % 50 + 1):]
    middle = readings[-60:-10]
    past_end = readings[199990 + i % 20:200000 + i]
    edges += len(head) + tail[0] + len(middle) + len(past_end)
print(chunk_peaks, alerts, edges)
