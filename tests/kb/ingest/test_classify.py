"""What a record is about: a site's teaser for an article is not an answer."""
from kb.ingest.classify import classify


def test_an_articles_teaser_is_not_an_answer():
    teaser = "今天小编就为大家分享一篇pytorch的梯度计算以及backward方法详解,具有很好的参考价值,希望对大家有所帮助。"
    assert classify("pytorch的梯度计算以及backward方法详解", teaser).reason == "an article's teaser, no answer"
    answer = "backward() 沿计算图反向传播梯度,结果存进叶子张量的 .grad。" * 8 + "希望对大家有所帮助。"
    assert classify("backward方法详解", answer).topic == "autograd"  # a real answer that ends politely stays
