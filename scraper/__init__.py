"""URL to video, first half: scrape a product page safely, extract the product,
choose its images and write a script. No Django here: configuration comes in as
dataclasses (:mod:`scraper.config`).

Library API:
    scraper.browser.scrape(url, config) -> Page
    scraper.extract.extract(html, url, json_responses=()) -> Product
    scraper.images.fetch_images(urls, policy, ...) / choose_images(infos) -> [ImageInfo]
    scraper.script.write_script(product, length, tone, aspect, voice_wps, seed, language)
    scraper.pipeline.scrape_product(url, config, image_dir) -> ScrapeResult
"""
