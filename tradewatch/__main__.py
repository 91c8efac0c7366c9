from tradewatch.cli import app

app()
