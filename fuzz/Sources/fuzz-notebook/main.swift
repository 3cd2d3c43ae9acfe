import LibFuzzerDriver

runLibFuzzer(.notebook)
