import LibFuzzerDriver

runLibFuzzer(.language)
