using Ensemble.Cli;

return await EnsembleCommand.Build().Parse(args).InvokeAsync();
