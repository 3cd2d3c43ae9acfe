import LibFuzzerDriver

runLibFuzzer(.interpreter)
