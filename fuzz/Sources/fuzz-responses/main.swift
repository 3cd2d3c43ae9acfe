import LibFuzzerDriver

runLibFuzzer(.responses)
