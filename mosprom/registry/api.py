from ninja import Router

router = Router(tags=["registry"])  # endpoints come with the catalogue work
