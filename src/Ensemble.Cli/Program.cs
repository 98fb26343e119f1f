using Ensemble.Cli;

Output.FitWidth();
return await EnsembleCommand.Build().Parse(args).InvokeAsync();
